"""Lays out one HTML document as a PDF in a process of its own, so that the web app can stop it (pdf.html_to_pdf).

Run as a script, not imported: `python pdf_worker.py <base_url>` reads UTF-8 HTML on stdin and writes the PDF on
stdout. It imports WeasyPrint only (no Django, no database) and lowers its own priority, so that a long layout
leaves the processor to the pages other people are waiting for.
"""

import os
import sys


def main() -> None:
    os.nice(5)
    from weasyprint import HTML

    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(HTML(string=html, base_url=sys.argv[1]).write_pdf())


if __name__ == "__main__":
    main()
