"""The `govtrain` command: a thin wrapper over Django's management commands.

`govtrain demo`, `govtrain serve`, `govtrain import_employees FILE`, `govtrain bench`, and
every other management command (`govtrain migrate`, `govtrain createsuperuser`, ...).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govtrain.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govtrain", *sys.argv[1:]])


if __name__ == "__main__":
    main()
