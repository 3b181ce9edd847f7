"""The exchange messages of the reports app (statistics.*): filled in by the bilateral statistics."""
