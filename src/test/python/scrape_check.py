"""Scrapes a Prometheus endpoint and parses the answer with the Prometheus Python client's own parsers.

Usage: scrape_check.py URL text|openmetrics

Asks for the Prometheus text format 0.0.4 or for OpenMetrics 1.0.0 (as a Prometheus server does), parses the body
with prometheus_client.parser or prometheus_client.openmetrics.parser (an invalid exposition raises), and prints one
JSON object: {"contentType": ..., "families": [{"name", "type", "documentation", "samples": [{"name", "labels",
"value"}]}]}. Exits 1 with the error if the request or the parse fails.
"""
import json
import sys
import urllib.request

from prometheus_client.openmetrics import parser as openmetrics_parser
from prometheus_client import parser as text_parser

ACCEPT = {
    "text": "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
    "openmetrics": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
}


def main():
    url, fmt = sys.argv[1], sys.argv[2]
    request = urllib.request.Request(url, headers={"Accept": ACCEPT[fmt]})
    with urllib.request.urlopen(request, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        body = response.read().decode("utf-8")
    parse = (openmetrics_parser if fmt == "openmetrics" else text_parser).text_string_to_metric_families
    families = []
    for family in parse(body):
        families.append({
            "name": family.name,
            "type": family.type,
            "documentation": family.documentation,
            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
        })
    print(json.dumps({"contentType": content_type, "families": families}))


if __name__ == "__main__":
    try:
        main()
    except Exception as failure:  # the test shows what failed
        print("FAILED: %r" % (failure,), file=sys.stderr)
        sys.exit(1)
