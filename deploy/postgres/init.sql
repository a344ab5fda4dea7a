-- Each service owns its own database (docker-compose.yml mounts this into the postgres image).
CREATE DATABASE agency_registry;
CREATE DATABASE routing;
CREATE DATABASE intake;
CREATE DATABASE notification;
CREATE DATABASE reporting;
