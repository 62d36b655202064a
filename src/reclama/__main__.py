import sys

from reclama.cli import main

sys.exit(main())
