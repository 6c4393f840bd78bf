"""The flask commands against the running `make run` stack (`make import-clients FILE=...`).

`flask --app portal.wsgi import-clients` is for a deployed stack: it needs the production
settings. Here the same commands (portal/cli.py) run on the local stack that `make run`
wrote down in .local-stack.json, with its dev settings.
"""
from __future__ import annotations

import sys

from devstack import create_dev_app, stackfile


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        stackfile.apply()
    except stackfile.NoLocalStack as problem:
        print(f"attune: {problem}", file=sys.stderr)
        return 2
    from portal.config import load

    app = create_dev_app(load())
    with app.app_context():
        try:
            app.cli.main(args=args, prog_name="attune", standalone_mode=False)
        except SystemExit as done:  # the import commands exit with their status (portal/cli.py)
            return int(done.code or 0)
        except Exception as problem:  # click's usage errors: say them as click would
            from click import ClickException

            if isinstance(problem, ClickException):
                problem.show()
                return problem.exit_code
            raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
