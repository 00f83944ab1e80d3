"""Documents for test_sync_conflicts: a contract clause and an SOP page that allows twice its time."""

AGREEMENT = """# Data Services Agreement

This Data Services Agreement is made on 5 May 2025 between Harbor Freight Analytics Inc. ("Customer") and Quillon Support Services Ltd. ("Supplier").

## 14. Exit

14.3 Return of Data. On termination Supplier shall return all Customer Data within ten (10) business days.
"""

SOP_PAGE = ("<h1>Harbor offboarding</h1><h2>Returning data</h2>"
            "<p>On termination of the Harbor Freight agreement, return all Customer Data to Harbor Freight within "
            "twenty (20) business days.</p>")
