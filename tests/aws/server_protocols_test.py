#!/usr/bin/python3
"""The test server's SNS and EventBridge, driven by botocore's own clients: what keyhound's tests
assert against is the wire format AWS's SDK reads and writes (Query XML for SNS, JSON 1.1 for
EventBridge), and a request signed with the wrong key is refused as AWS refuses it.

Run with Debian's python3 (python3-botocore); ctest runs it (tests/CMakeLists.txt)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import botocore.config
import botocore.exceptions
import botocore.session

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "secretsmanager_server.py")
KEY_ID, SECRET = "AKIDSERVERTEST000001", "server-protocols-test-secret-0000000000"


class ServerProtocols(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        # botocore must read no ~/.aws files: the run is confined to the repository and temp dirs.
        empty = os.path.join(cls.scratch.name, "empty")
        open(empty, "w").close()
        os.environ.update(AWS_CONFIG_FILE=empty, AWS_SHARED_CREDENTIALS_FILE=empty)
        env = dict(os.environ, KEYHOUND_TEST_CREDENTIALS=json.dumps(
            [{"access_key_id": KEY_ID, "secret_access_key": SECRET}]))
        cls.process = subprocess.Popen([sys.executable, SERVER], env=env, stdout=subprocess.PIPE, text=True)
        cls.url = "http://127.0.0.1:%s" % cls.process.stdout.readline().strip()
        session = botocore.session.get_session()
        config = botocore.config.Config(retries={"max_attempts": 1})
        kw = dict(region_name="eu-west-1", endpoint_url=cls.url, aws_access_key_id=KEY_ID,
                  aws_secret_access_key=SECRET, config=config)
        cls.sns = session.create_client("sns", **kw)
        cls.events = session.create_client("events", **kw)
        kw["aws_secret_access_key"] = "not-" + SECRET
        cls.forged_sns = session.create_client("sns", **kw)
        cls.forged_events = session.create_client("events", **kw)

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        cls.process.wait()
        cls.process.stdout.close()
        cls.scratch.cleanup()

    def test_sns_topic_policy_and_subscriptions(self):
        arn = self.sns.create_topic(Name="protocols")["TopicArn"]
        self.assertEqual(arn, "arn:aws:sns:eu-west-1:123456789012:protocols")
        self.assertEqual(self.sns.create_topic(Name="protocols")["TopicArn"], arn)
        policy = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "__default_statement_ID")
        policy["Statement"].append({"Sid": "x&<y>", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
                                    "Action": "sns:Publish", "Resource": arn})
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(policy))
        read_back = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        self.assertEqual(read_back, policy)  # XML-escaped on the wire, the same document after
        self.assertEqual(self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="a@example.com")["SubscriptionArn"],
                         "pending confirmation")
        subscriptions = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"], s["SubscriptionArn"]) for s in subscriptions],
                         [("email", "a@example.com", "PendingConfirmation")])
        with self.assertRaises(botocore.exceptions.ClientError) as missing:
            self.sns.get_topic_attributes(TopicArn=arn + "-none")
        self.assertEqual(missing.exception.response["Error"]["Code"], "NotFound")

    def test_eventbridge_rules_targets_and_events(self):
        arn = self.events.put_rule(Name="protocols", EventPattern='{"source":["keyhound"]}')["RuleArn"]
        self.assertEqual(arn, "arn:aws:events:eu-west-1:123456789012:rule/protocols")
        rule = self.events.describe_rule(Name="protocols")
        self.assertEqual((rule["Arn"], rule["State"], rule["EventBusName"]), (arn, "ENABLED", "default"))
        target = {"Id": "t", "Arn": "arn:aws:sns:eu-west-1:123456789012:protocols"}
        self.assertEqual(self.events.put_targets(Rule="protocols", Targets=[target])["FailedEntryCount"], 0)
        self.assertEqual(self.events.list_targets_by_rule(Rule="protocols")["Targets"], [target])
        reply = self.events.put_events(Entries=[
            {"Source": "keyhound", "DetailType": "Secret Found", "Detail": '{"rule":"x"}'},
            {"Source": "keyhound", "DetailType": "Secret Found", "Detail": "not json"}])
        self.assertEqual(reply["FailedEntryCount"], 1)
        self.assertIn("EventId", reply["Entries"][0])
        self.assertEqual(reply["Entries"][1]["ErrorCode"], "MalformedDetail")
        with self.assertRaises(botocore.exceptions.ClientError) as missing:
            self.events.describe_rule(Name="none")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_a_wrong_key_is_refused(self):
        with self.assertRaises(botocore.exceptions.ClientError) as sns:
            self.forged_sns.create_topic(Name="forged")
        self.assertEqual(sns.exception.response["Error"]["Code"], "SignatureDoesNotMatch")
        with self.assertRaises(botocore.exceptions.ClientError) as events:
            self.forged_events.put_events(Entries=[{"Source": "keyhound", "DetailType": "d", "Detail": "{}"}])
        self.assertEqual(events.exception.response["Error"]["Code"], "InvalidSignatureException")


if __name__ == "__main__":
    unittest.main()
