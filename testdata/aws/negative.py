"""Configuration loader: credentials come from the environment, never from this file."""
import os

import boto3

# Documented example keys from the AWS guides are not credentials.
EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

session = boto3.session.Session(
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    aws_session_token=os.getenv("AWS_SESSION_TOKEN"),
)
aws_secret_access_key = "${AWS_SECRET_ACCESS_KEY}"
aws_access_key_id = "AKIAXXXXXXXXXXXXXXXX"
mws_token = "amzn.mws.00000000-0000-0000-0000-000000000000"
