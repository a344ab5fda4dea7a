"""Open311 GeoReport v2: the door (door), how it speaks HTTP (wire) and the pure translation
between its requests and intake's reports (georeport)."""
