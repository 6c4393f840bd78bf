"""The domain: plain Python, no boto3, no Flask."""
