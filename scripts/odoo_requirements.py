"""Print Odoo's requirements installable on this Python.

Odoo 19.0 pins, for Python 3.11, versions that no longer build (cbor2 5.4.2
needs pkg_resources); the versions it pins for Python 3.12 install as wheels
on 3.11. So markers are evaluated as for Python 3.12, psycopg2 becomes
psycopg2-binary (no compiler or libpq headers needed) and python-ldap (LDAP
login, unused here, needs system headers) is left out.
"""

import platform
import sys

from pip._vendor.packaging.requirements import Requirement

MARKER_ENV = {
    "python_version": "3.12",
    "python_full_version": "3.12.0",
    "implementation_version": "3.12.0",
    "sys_platform": sys.platform,
    "platform_system": platform.system(),
    "platform_machine": platform.machine(),
    "platform_release": "",
    "platform_version": "",
    "platform_python_implementation": "CPython",
    "implementation_name": "cpython",
    "os_name": "posix",
    "extra": "",
}
LEFT_OUT = {"python-ldap"}
RENAMED = {"psycopg2": "psycopg2-binary"}


def main(path):
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(MARKER_ENV):
            continue
        if requirement.name.lower() in LEFT_OUT:
            continue
        requirement.marker = None
        requirement.name = RENAMED.get(requirement.name.lower(), requirement.name)
        print(requirement)


if __name__ == "__main__":
    main(sys.argv[1])
