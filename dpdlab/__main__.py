import sys

from dpdlab.cli import main

sys.exit(main())
