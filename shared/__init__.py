"""satupintu's common code: what every service needs and no one service's domain."""

import warnings

# eventlet announces its deprecation on import, in every process; nameko 2.14 needs it
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
