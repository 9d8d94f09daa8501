"""A minimal iCalendar (RFC 5545) writer for the network's operations.

One VCALENDAR with one VEVENT per operation: dates in UTC (``...Z``, so no
VTIMEZONE is needed), text values escaped (section 3.3.11), lines ended by
CRLF and folded at 75 octets without cutting a UTF-8 character (3.1).
"""

CRLF = "\r\n"
PRODID = "-//Annonay+//Loyalty Network Operations//FR"
MAX_LINE_OCTETS = 75


def escape_text(value):
    """A TEXT value: backslash, semicolon, comma and newlines escaped."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def format_utc(when):
    """A naive UTC datetime (as Odoo stores them) as an iCalendar UTC DATE-TIME."""
    return when.strftime("%Y%m%dT%H%M%SZ")


def fold_line(line):
    """``line`` folded into chunks of at most 75 octets, continuation lines
    starting with one space (RFC 5545, 3.1)."""
    chunks, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        limit = MAX_LINE_OCTETS if not chunks else MAX_LINE_OCTETS - 1  # the leading space
        if size + octets > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += octets
    chunks.append(current)
    return (CRLF + " ").join(chunks)


def build_calendar(events, stamp):
    """The calendar of ``events``: dicts with uid, start, end (naive UTC
    datetimes), summary, and optional description, location, url; ``stamp``
    is when it is produced (naive UTC)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event['uid']}",
            f"DTSTAMP:{format_utc(stamp)}",
            f"DTSTART:{format_utc(event['start'])}",
            f"DTEND:{format_utc(event['end'])}",
            f"SUMMARY:{escape_text(event['summary'])}",
        ]
        if event.get("description"):
            lines.append(f"DESCRIPTION:{escape_text(event['description'])}")
        if event.get("location"):
            lines.append(f"LOCATION:{escape_text(event['location'])}")
        if event.get("url"):
            lines.append(f"URL:{event['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines)
