"""What every long-running part of the service shares: task stopping, the worker loop, metrics."""
