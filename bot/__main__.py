import sys

from composition.cli import main

sys.exit(main())
