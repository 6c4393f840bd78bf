"""`python -m devstack` (what `make run` runs): the whole product on one machine."""
import sys

from devstack.localstack import main

sys.exit(main())
