"""A plain python-amazon-sp-api script, as a user of the simulator writes it: no patches, no
endpoint arguments. The environment (`source env.sh`) points it at the simulator."""

import json
import sys
import time

from sp_api.api import Orders, Reports, Sellers
from sp_api.base import Marketplaces

US = Marketplaces.US.marketplace_id
result = {}
participations = Sellers().get_marketplace_participation().payload
result["marketplaces"] = {
    p["marketplace"]["id"]: p["participation"]["isParticipating"] for p in participations
}
after = sys.argv[1]  # an ISO 8601 instant: orders created since
orders = Orders().get_orders(CreatedAfter=after, MarketplaceIds=[US]).payload
result["orders"] = [o["AmazonOrderId"] for o in orders.get("Orders", [])]
reports = Reports()
report_id = reports.create_report(
    reportType="GET_MERCHANT_LISTINGS_ALL_DATA", marketplaceIds=[US]
).payload["reportId"]
for _ in range(600):
    report = reports.get_report(report_id).payload
    if report["processingStatus"] in ("DONE", "FATAL", "CANCELLED"):
        break
    time.sleep(0.1)
result["status"] = report["processingStatus"]
document = reports.get_report_document(report["reportDocumentId"], download=True).payload
result["document"] = document["document"]
print(json.dumps(result))
