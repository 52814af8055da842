#!/usr/bin/python3
"""A small AWS Secrets Manager-compatible server for keyhound's tests.

Keeps secrets in memory and serves CreateSecret, DescribeSecret, GetSecretValue, PutSecretValue
and ListSecrets over the AWS JSON 1.1 protocol, with the request and response shapes and error
types of the API reference. On the same port it is STS GetCallerIdentity and IAM for access-key
rotation (the Query protocol: form-encoded Action=..., XML replies): ListAccessKeys,
CreateAccessKey (at most two keys per user, as IAM), UpdateAccessKey and GetAccessKeyLastUsed; it
never deletes a key. It is also SNS (Query protocol, Version 2010-03-31: CreateTopic,
GetTopicAttributes, SetTopicAttributes, Subscribe, ListSubscriptionsByTopic) and EventBridge (JSON
1.1, AWSEvents.*: PutRule, DescribeRule, PutTargets, ListTargetsByRule, PutEvents), keeping the
topics, rules and published events for the tests to read. One dispatcher (Handler.serve) serves
them all: every request's SigV4 signature is recomputed with botocore (AWS's own signer) from the
headers it lists as signed; a mismatch gets the error that service sends.

Run with Debian's python3 (python3-botocore). Credentials come from KEYHOUND_TEST_CREDENTIALS,
a JSON list of {"access_key_id", "secret_access_key", "session_token"?}. The server prints its
port on stdout. Tests steer it through POST /__control (unsigned, loopback only):
  {"fail_next": [0, 500]}    the next API requests get these HTTP statuses (0: served normally)
  {"throttle_next": 2}       the next requests get ThrottlingException
  {"deny": "substring"}      CreateSecret/PutSecretValue on names holding it: AccessDeniedException
  {"die_after": 2}           after 2 more successful writes, exit without answering the next request
  {"reset_counts": true}
  {"iam_users": {"deploy-bot": ["AKIA..."]}}   IAM users and their (active) access key IDs
  {"fail_event_entries": 3, "event_error_code": "InternalFailure"}   the next 3 PutEvents entries
                             fail with that per-entry ErrorCode (FailedEntryCount counts them)
  {"event_buses": ["ci-bus"]}   event buses besides "default"
  {"tunnel_tls": {"certificate": PEM file, "key": PEM file}}   answer CONNECT (an HTTPS proxy that
                             is its own upstream, for SDKs without an endpoint setting) with TLS
GET /__stats returns {"requests": N, "operations": {...}, "verified": [{"service", "operation",
"secret_id"} of each request whose signature held], "secrets": {name: versions},
"iam": {user: {key id: status}}, "changes": N (SNS/EventBridge state changes), "sns": {topic
name: {"arn", "policy", "subscriptions", "confirmation_mails"}}, "events": {"rules": {"BUS/NAME":
{...}}, "published": [{"bus", "source", "detail-type", "detail"}], "put_events_sizes": [entries
per request], "put_events_bodies": [request JSON as received]}}.
"""

import datetime
import hmac
import json
import os
import socketserver
import ssl
import sys
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION_DEFAULT = "us-east-1"
ACCOUNT = "123456789012"


class State:
    def __init__(self, credentials):
        self.lock = threading.Lock()
        self.credentials = {c["access_key_id"]: c for c in credentials}
        self.secrets = {}  # name -> secret dict
        self.requests = 0
        self.operations = {}
        self.fail_next = []
        self.throttle_next = 0
        self.deny = None
        self.die_after = None
        self.iam_users = {}  # user -> {access key id: {"secret": ..., "status": ..., "created": ...}}
        self.changes = 0  # SNS and EventBridge writes that changed something
        self.topics = {}  # name -> {"arn", "policy", "subscriptions": [...], "confirmation_mails"}
        self.buses = {"default"}
        self.rules = {}  # "bus/name" -> {"Name", "EventBusName", "EventPattern", "State", "Description", "Arn", "Targets"}
        self.published = []
        self.put_events_sizes = []
        self.put_events_bodies = []  # each PutEvents request as received, for tests that look for secrets
        self.fail_event_entries = 0
        self.event_error_code = "InternalFailure"
        self.verified = []  # {"service", "operation", "secret_id"} of each request whose signature held
        self.tunnel_tls = None  # the TLS context of CONNECT tunnels (Handler.do_CONNECT)


class ApiError(Exception):
    def __init__(self, status, error_type, message):
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message


def random_suffix():
    return uuid.uuid4().hex[:6]


def is_loopback(address):
    return address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")


def verify_signature(state, method, path, headers, body, expected_service):
    """Recomputes the signature with botocore; raises ApiError as AWS would. `headers`: the request's,
    looked up by any case (the SDK for JavaScript sends them in lower case)."""
    authorization = headers.get("Authorization", "")
    if not authorization.startswith("AWS4-HMAC-SHA256 "):
        raise ApiError(400, "MissingAuthenticationTokenException", "Missing Authentication Token")
    fields = {}
    for part in authorization[len("AWS4-HMAC-SHA256 "):].split(","):
        key, _, value = part.strip().partition("=")
        fields[key] = value
    try:
        access_key, date, region, service, terminator = fields["Credential"].split("/")
        signed_headers = fields["SignedHeaders"].split(";")
        signature = fields["Signature"]
    except (KeyError, ValueError):
        raise ApiError(400, "IncompleteSignatureException", "Authorization header is malformed")
    known = state.credentials.get(access_key)
    if known is None:
        raise ApiError(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
    token = known.get("session_token")
    if token and headers.get("X-Amz-Security-Token") != token:
        raise ApiError(400, "UnrecognizedClientException", "The security token included in the request is invalid.")
    amz_date = headers.get("X-Amz-Date", "")
    if service != expected_service or terminator != "aws4_request" or not amz_date.startswith(date):
        raise ApiError(400, "InvalidSignatureException", "Credential should be scoped correctly.")
    for required in ("host", "x-amz-date"):
        if required not in signed_headers:
            raise ApiError(400, "InvalidSignatureException", "Signed headers must include host and x-amz-date.")
    if token and "x-amz-security-token" not in signed_headers:
        raise ApiError(400, "InvalidSignatureException", "The session token must be signed.")

    only_signed = {name: value for name, value in headers.items() if name.lower() in signed_headers}
    request = AWSRequest(method=method, url="http://" + headers.get("Host", "") + path, data=body,
                         headers=only_signed)
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(access_key, known["secret_access_key"], token), expected_service, region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, signature):
        raise ApiError(400, "InvalidSignatureException",
                       "The request signature we calculated does not match the signature you provided. "
                       "Check your AWS Secret Access Key and signing method.")
    return Caller(access_key, region)


def now():
    return datetime.datetime.now(datetime.timezone.utc).timestamp()


class Service:
    """One AWS service on this server: its signing name, protocol and operations."""

    def __init__(self, signing_name, protocol, operations, xmlns=None, version=None, faults=False, auth_errors=None):
        self.signing_name = signing_name
        self.protocol = protocol  # "json" (JSON 1.1, X-Amz-Target) or "query" (form body, XML reply)
        self.operations = operations  # name -> handler(state, caller, request): dict (json) or XML text (query)
        self.xmlns = xmlns
        self.version = version  # the Query protocol's Version parameter, when checked
        self.faults = faults  # fail_next, throttle_next and die_after apply (Secrets Manager)
        self.auth_errors = auth_errors or {}  # how a Query service names the signature errors


# The Query services name the signature errors differently from the JSON ones, with HTTP 403.
QUERY_AUTH_ERRORS = {"UnrecognizedClientException": "InvalidClientTokenId",
                     "InvalidSignatureException": "SignatureDoesNotMatch"}


class Caller:
    """Who signed a request, and for which region."""

    def __init__(self, access_key, region):
        self.access_key = access_key
        self.region = region


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSecretsManager/1.0"

    def log_message(self, fmt, *args):  # quiet: the tests read stdout for the port only
        pass

    def send_json(self, status, document, extra_headers=None):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in (extra_headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_xml(self, status, text):
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        length = int(self.headers.get("Content-Length", "0") or "0")
        return self.rfile.read(length) if length else b""

    def do_CONNECT(self):
        """An HTTPS proxy that is its own upstream: after CONNECT host:443 the tunnel is TLS with the
        certificate of the control command "tunnel_tls", and the requests in it are served here. SDKs
        without an endpoint setting (Go v2 of Debian) reach the server through HTTPS_PROXY."""
        context = self.server.state.tunnel_tls
        if context is None or not is_loopback(self.client_address[0]):
            self.send_json(405, {"__type": "MethodNotAllowed", "message": "no tunnel configured"})
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.connection = context.wrap_socket(self.connection, server_side=True)
        self.rfile = self.connection.makefile("rb", self.rbufsize)
        self.wfile = socketserver._SocketWriter(self.connection)

    def do_GET(self):
        state = self.server.state
        if self.path == "/__stats" and is_loopback(self.client_address[0]):
            with state.lock:
                document = {"requests": state.requests, "operations": state.operations,
                            "verified": state.verified,
                            "secrets": {name: len(s["versions"]) for name, s in state.secrets.items()},
                            "iam": {user: {key: k["status"] for key, k in keys.items()}
                                    for user, keys in state.iam_users.items()},
                            "changes": state.changes, "sns": state.topics,
                            "events": {"rules": state.rules, "published": state.published,
                                       "put_events_sizes": state.put_events_sizes,
                                       "put_events_bodies": state.put_events_bodies}}
            self.send_json(200, document)
        else:
            self.send_json(404, {"__type": "UnknownOperationException", "message": "not found"})

    def do_POST(self):
        body = self.read_body()
        if self.path == "/__control":
            if not is_loopback(self.client_address[0]):
                self.send_json(403, {"__type": "AccessDeniedException", "message": "control is loopback only"})
                return
            apply_control(self.server.state, json.loads(body or b"{}"))
            self.send_json(200, {})
            return
        service, operation, request = self.route(body)
        self.serve(service, operation, request, body)

    def route(self, body):
        """The service a request is for, its operation name and its parameters (None: not parsed yet)."""
        if self.headers.get("Content-Type", "").split(";")[0] == "application/x-www-form-urlencoded" or \
                body.startswith(b"Action="):
            params = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
            action = params.get("Action", "")
            if action == "GetCallerIdentity":
                return SERVICES["sts"], action, params
            return SERVICES["sns" if params.get("Version") == "2010-03-31" else "iam"], action, params
        target = self.headers.get("X-Amz-Target", "")
        if target.startswith("AWSEvents."):
            return SERVICES["events"], target.split(".", 1)[1], None
        return SERVICES["secretsmanager"], target.split(".", 1)[1] if target.startswith("secretsmanager.") \
            else target, None

    def serve(self, service, operation, request, body):
        """Counts, checks the signature and the protocol, runs the operation, replies as the service."""
        state = self.server.state
        injected, throttled = None, False
        with state.lock:
            state.requests += 1
            state.operations[operation] = state.operations.get(operation, 0) + 1
            if service.faults:
                if state.die_after is not None and state.die_after <= 0:
                    os._exit(0)  # the process goes away mid-request: the client sees the connection drop
                injected = (state.fail_next.pop(0) if state.fail_next else None) or None
                throttled = state.throttle_next > 0
                if throttled:
                    state.throttle_next -= 1
        try:
            try:
                caller = verify_signature(state, "POST", self.path, self.headers, body, service.signing_name)
            except ApiError as error:
                if service.auth_errors:
                    raise ApiError(403, service.auth_errors.get(error.error_type, error.error_type), error.message)
                raise
            if injected is not None:
                raise ApiError(injected, "InternalServiceError", "injected failure")
            if throttled:
                raise ApiError(400, "ThrottlingException", "Rate exceeded")
            if service.protocol == "json":
                if self.headers.get("Content-Type") != "application/x-amz-json-1.1":
                    raise ApiError(400, "SerializationException", "expected application/x-amz-json-1.1")
                try:
                    request = json.loads(body or b"{}")
                except ValueError:
                    raise ApiError(400, "SerializationException", "the body is not JSON")
            elif self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
                raise ApiError(400, "InvalidParameterValue", "expected a form body")
            elif service.version and request.get("Version") != service.version:
                raise ApiError(400, "InvalidParameterValue", "Version must be " + service.version)
            handler = service.operations.get(operation)
            if handler is None:
                raise ApiError(400, "UnknownOperationException" if service.protocol == "json" else "InvalidAction",
                               "unknown operation " + operation)
            with state.lock:
                state.verified.append({"service": service.signing_name, "operation": operation,
                                       "secret_id": request.get("SecretId")})
                reply = handler(state, caller, request)
                if service.faults and operation in ("CreateSecret", "PutSecretValue") and state.die_after is not None:
                    state.die_after -= 1
            if service.protocol == "json":
                self.send_json(200, reply)
            else:
                self.send_xml(200, '<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s'
                                   '</RequestId></ResponseMetadata></%sResponse>'
                              % (operation, service.xmlns, operation, reply, operation, uuid.uuid4(), operation))
        except ApiError as error:
            if service.protocol == "json":
                self.send_json(error.status, {"__type": error.error_type, "message": error.message},
                               {"x-amzn-ErrorType": error.error_type})
            else:
                self.send_xml(error.status, '<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code>'
                                            '<Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>'
                              % (service.xmlns, error.error_type, xml_escape(error.message), uuid.uuid4()))


def apply_control(state, control):
    with state.lock:
        if "fail_next" in control:
            state.fail_next = list(control["fail_next"])
        if "throttle_next" in control:
            state.throttle_next = int(control["throttle_next"])
        if "deny" in control:
            state.deny = control["deny"]
        if "die_after" in control:
            state.die_after = control["die_after"]
        for user, keys in control.get("iam_users", {}).items():
            state.iam_users[user] = {key: {"secret": uuid.uuid4().hex, "status": "Active", "created": now()}
                                     for key in keys}
        if "fail_event_entries" in control:
            state.fail_event_entries = int(control["fail_event_entries"])
            state.event_error_code = control.get("event_error_code", "InternalFailure")
        for bus in control.get("event_buses", []):
            state.buses.add(bus)
        if "tunnel_tls" in control:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(control["tunnel_tls"]["certificate"], control["tunnel_tls"]["key"])
            state.tunnel_tls = context
        if control.get("reset_counts"):
            state.requests = 0
            state.operations = {}
            state.verified = []


def xml_escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def find_topic(state, arn):
    for topic in state.topics.values():
        if topic["arn"] == arn:
            return topic
    raise ApiError(404, "NotFound", "Topic does not exist")


def sns_create_topic(state, caller, params):
    name = params.get("Name", "")
    if not name or len(name) > 256 or any(not (c.isalnum() or c in "-_") for c in name):
        raise ApiError(400, "InvalidParameter", "Invalid parameter: Topic Name")
    if name not in state.topics:  # an existing name answers with the same ARN and changes nothing
        arn = "arn:aws:sns:%s:%s:%s" % (caller.region, ACCOUNT, name)
        policy = {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{
            "Sid": "__default_statement_ID", "Effect": "Allow", "Principal": {"AWS": "*"},
            "Action": ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:Subscribe",
                       "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
            "Resource": arn, "Condition": {"StringEquals": {"AWS:SourceOwner": ACCOUNT}}}]}
        state.topics[name] = {"arn": arn, "policy": policy, "subscriptions": [], "confirmation_mails": 0}
        state.changes += 1
    return "<TopicArn>%s</TopicArn>" % state.topics[name]["arn"]


def sns_get_topic_attributes(state, caller, params):
    topic = find_topic(state, params.get("TopicArn", ""))
    attributes = {"TopicArn": topic["arn"], "Owner": ACCOUNT, "Policy": json.dumps(topic["policy"]),
                  "SubscriptionsPending": str(len(topic["subscriptions"])), "SubscriptionsConfirmed": "0"}
    return "<Attributes>%s</Attributes>" % "".join(
        "<entry><key>%s</key><value>%s</value></entry>" % (k, xml_escape(v)) for k, v in attributes.items())


def sns_set_topic_attributes(state, caller, params):
    topic = find_topic(state, params.get("TopicArn", ""))
    if params.get("AttributeName") != "Policy":
        raise ApiError(400, "InvalidParameter", "Invalid parameter: AttributeName")
    try:
        policy = json.loads(params.get("AttributeValue", ""))
    except ValueError:
        raise ApiError(400, "InvalidParameter", "Invalid parameter: Policy Error: null")
    if not isinstance(policy, dict) or not isinstance(policy.get("Statement"), list):
        raise ApiError(400, "InvalidParameter", "Invalid parameter: Policy Error: no statements")
    if policy != topic["policy"]:
        topic["policy"] = policy
        state.changes += 1
    return ""


def sns_subscribe(state, caller, params):
    topic = find_topic(state, params.get("TopicArn", ""))
    protocol, endpoint = params.get("Protocol", ""), params.get("Endpoint", "")
    if protocol != "email" or "@" not in endpoint:
        raise ApiError(400, "InvalidParameter", "Invalid parameter: Endpoint")
    topic["confirmation_mails"] += 1  # SNS mails a confirmation request again for a pending one
    if not any(s["protocol"] == protocol and s["endpoint"] == endpoint for s in topic["subscriptions"]):
        topic["subscriptions"].append({"protocol": protocol, "endpoint": endpoint, "arn": "PendingConfirmation"})
        state.changes += 1
    return "<SubscriptionArn>pending confirmation</SubscriptionArn>"


def sns_list_subscriptions_by_topic(state, caller, params):
    topic = find_topic(state, params.get("TopicArn", ""))
    members = "".join("<member><TopicArn>%s</TopicArn><Protocol>%s</Protocol><SubscriptionArn>%s</SubscriptionArn>"
                      "<Owner>%s</Owner><Endpoint>%s</Endpoint></member>"
                      % (topic["arn"], s["protocol"], s["arn"], ACCOUNT, xml_escape(s["endpoint"]))
                      for s in topic["subscriptions"])
    return "<Subscriptions>%s</Subscriptions>" % members


SNS_ACTIONS = {
    "CreateTopic": sns_create_topic,
    "GetTopicAttributes": sns_get_topic_attributes,
    "SetTopicAttributes": sns_set_topic_attributes,
    "Subscribe": sns_subscribe,
    "ListSubscriptionsByTopic": sns_list_subscriptions_by_topic,
}


def event_bus(state, request, key="EventBusName"):
    bus = request.get(key) or "default"
    if bus.startswith("arn:"):
        bus = bus.rsplit("/", 1)[-1]
    if bus not in state.buses:
        raise ApiError(400, "ResourceNotFoundException", "Event bus %s does not exist." % bus)
    return bus


def find_rule(state, request, name_key):
    bus = event_bus(state, request)
    rule = state.rules.get(bus + "/" + request.get(name_key, ""))
    if rule is None:
        raise ApiError(400, "ResourceNotFoundException", "Rule %s does not exist." % request.get(name_key, ""))
    return rule


def events_put_rule(state, caller, request):
    bus = event_bus(state, request)
    name = request.get("Name", "")
    if not name or len(name) > 64 or any(not (c.isalnum() or c in ".-_") for c in name):
        raise ApiError(400, "ValidationException", "Rule name is not valid")
    try:
        pattern = json.loads(request.get("EventPattern", ""))
    except ValueError:
        raise ApiError(400, "InvalidEventPatternException", "Event pattern is not valid JSON")
    if not isinstance(pattern, dict) or not pattern:
        raise ApiError(400, "InvalidEventPatternException", "Event pattern must be a JSON object")
    arn = "arn:aws:events:%s:%s:rule/%s" % (caller.region, ACCOUNT, name if bus == "default" else bus + "/" + name)
    key = bus + "/" + name
    old = state.rules.get(key)
    rule = {"Name": name, "EventBusName": bus, "EventPattern": request["EventPattern"],
            "State": request.get("State", "ENABLED"), "Description": request.get("Description", ""), "Arn": arn,
            "Targets": old["Targets"] if old else []}
    if old != rule:
        state.rules[key] = rule
        state.changes += 1
    return {"RuleArn": arn}


def events_describe_rule(state, caller, request):
    rule = find_rule(state, request, "Name")
    return {k: rule[k] for k in ("Name", "Arn", "EventPattern", "State", "Description", "EventBusName")}


def events_list_targets_by_rule(state, caller, request):
    return {"Targets": find_rule(state, request, "Rule")["Targets"]}


def events_put_targets(state, caller, request):
    rule = find_rule(state, request, "Rule")
    for target in request.get("Targets", []):
        if not target.get("Id") or not target.get("Arn", "").startswith("arn:"):
            raise ApiError(400, "ValidationException", "Target Id and Arn are required")
        if target not in rule["Targets"]:  # same Id: replaced, as PutTargets does
            rule["Targets"] = [t for t in rule["Targets"] if t["Id"] != target["Id"]] + [target]
            state.changes += 1
    return {"FailedEntryCount": 0, "FailedEntries": []}


def events_put_events(state, caller, request):
    entries = request.get("Entries", [])
    if not 1 <= len(entries) <= 10:
        raise ApiError(400, "ValidationException", "Entries must hold 1 to 10 entries")
    size = sum(len(e.get(k, "").encode()) for e in entries for k in ("Source", "DetailType", "Detail"))
    if size > 256 * 1024:
        raise ApiError(400, "ValidationException", "Total size of the entries in the request is over the limit.")
    state.put_events_sizes.append(len(entries))
    state.put_events_bodies.append(json.dumps(request))
    results, failed = [], 0
    for entry in entries:
        if state.fail_event_entries > 0:
            state.fail_event_entries -= 1
            failed += 1
            results.append({"ErrorCode": state.event_error_code, "ErrorMessage": "injected failure"})
            continue
        try:
            detail = json.loads(entry.get("Detail", ""))
            if not isinstance(detail, dict):
                raise ValueError
        except ValueError:
            failed += 1
            results.append({"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
            continue
        bus = entry.get("EventBusName") or "default"
        if bus.rsplit("/", 1)[-1] not in state.buses:
            failed += 1
            results.append({"ErrorCode": "NotFound", "ErrorMessage": "Event bus %s does not exist." % bus})
            continue
        if not entry.get("Source") or not entry.get("DetailType"):
            failed += 1
            results.append({"ErrorCode": "InvalidArgument", "ErrorMessage": "Source and DetailType are required."})
            continue
        event_id = str(uuid.uuid4())
        state.published.append({"id": event_id, "bus": bus, "source": entry["Source"],
                                "detail-type": entry["DetailType"], "detail": detail})
        results.append({"EventId": event_id})
    return {"FailedEntryCount": failed, "Entries": results}


EVENTS_OPERATIONS = {
    "PutRule": events_put_rule,
    "DescribeRule": events_describe_rule,
    "ListTargetsByRule": events_list_targets_by_rule,
    "PutTargets": events_put_targets,
    "PutEvents": events_put_events,
}


def iam_user(state, params):
    user = params.get("UserName", "")
    if user not in state.iam_users:
        raise ApiError(404, "NoSuchEntity", "The user with name %s cannot be found." % user)
    return user, state.iam_users[user]


def iso(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def list_access_keys(state, caller, params):
    user, keys = iam_user(state, params)
    members = "".join("<member><UserName>%s</UserName><AccessKeyId>%s</AccessKeyId><Status>%s</Status>"
                      "<CreateDate>%s</CreateDate></member>" % (user, key, k["status"], iso(k["created"]))
                      for key, k in keys.items())
    return "<AccessKeyMetadata>%s</AccessKeyMetadata><IsTruncated>false</IsTruncated>" % members


def create_access_key(state, caller, params):
    user, keys = iam_user(state, params)
    if len(keys) >= 2:
        raise ApiError(409, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    key = "AKIA" + "".join(alphabet[b % 32] for b in os.urandom(16))
    secret = "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[b % 64] for b in os.urandom(40))
    keys[key] = {"secret": secret, "status": "Active", "created": now()}
    return ("<AccessKey><UserName>%s</UserName><AccessKeyId>%s</AccessKeyId><Status>Active</Status>"
            "<SecretAccessKey>%s</SecretAccessKey><CreateDate>%s</CreateDate></AccessKey>"
            % (user, key, secret, iso(keys[key]["created"])))


def update_access_key(state, caller, params):
    user, keys = iam_user(state, params)
    key = params.get("AccessKeyId", "")
    if key not in keys:
        raise ApiError(404, "NoSuchEntity", "The Access Key with id %s cannot be found." % key)
    if params.get("Status") not in ("Active", "Inactive"):
        raise ApiError(400, "ValidationError", "Status must be Active or Inactive")
    keys[key]["status"] = params["Status"]
    return ""


def get_access_key_last_used(state, caller, params):
    key = params.get("AccessKeyId", "")
    for user, keys in state.iam_users.items():
        if key in keys:
            return "<UserName>%s</UserName><AccessKeyLastUsed><Region>N/A</Region><ServiceName>N/A</ServiceName>" \
                   "</AccessKeyLastUsed>" % user
    raise ApiError(403, "AccessDenied", "The access key %s is not in this account." % key)


IAM_ACTIONS = {
    "ListAccessKeys": list_access_keys,
    "CreateAccessKey": create_access_key,
    "UpdateAccessKey": update_access_key,
    "GetAccessKeyLastUsed": get_access_key_last_used,
}


def get_caller_identity(state, caller, params):
    arn = "arn:aws:iam::%s:user/keyhound-test-%s" % (ACCOUNT, caller.access_key[-4:].lower())
    return "<Arn>%s</Arn><UserId>AIDATEST</UserId><Account>%s</Account>" % (arn, ACCOUNT)


def find_secret(state, secret_id):
    if secret_id in state.secrets:
        return state.secrets[secret_id]
    for secret in state.secrets.values():
        if secret["ARN"] == secret_id:
            return secret
    raise ApiError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")


def check_token(request):
    token = request.get("ClientRequestToken")
    if token is not None and not 32 <= len(token) <= 64:
        raise ApiError(400, "ValidationException", "ClientRequestToken must be 32 to 64 characters")
    return token or str(uuid.uuid4())


def check_name(name):
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-")
    if not name or len(name) > 512 or any(c not in allowed for c in name):
        raise ApiError(400, "ValidationException", "Invalid name. Must be a valid name containing alphanumeric "
                                                   "characters, or any of the following: -/_+=.@!")


def add_version(secret, token, value):
    for version in secret["versions"].values():
        if "AWSCURRENT" in version["stages"]:
            version["stages"] = ["AWSPREVIOUS"]
        elif "AWSPREVIOUS" in version["stages"]:
            version["stages"] = []
    secret["versions"][token] = {"value": value, "stages": ["AWSCURRENT"], "created": now()}


def create_secret(state, caller, request):
    name = request.get("Name", "")
    check_name(name)
    if "SecretString" not in request and "SecretBinary" not in request:
        raise ApiError(400, "InvalidRequestException", "SecretString or SecretBinary is required here")
    if state.deny and state.deny in name:
        raise ApiError(400, "AccessDeniedException", "User is not authorized to perform: secretsmanager:CreateSecret")
    token = check_token(request)
    existing = state.secrets.get(name)
    if existing is not None:
        # As Secrets Manager (and moto) do: an existing name is an error whatever the token.
        raise ApiError(400, "ResourceExistsException", "The operation failed because the secret %s already exists." % name)
    arn = "arn:aws:secretsmanager:%s:%s:secret:%s-%s" % (caller.region, ACCOUNT, name, random_suffix())
    secret = {"ARN": arn, "Name": name, "Description": request.get("Description", ""),
              "KmsKeyId": request.get("KmsKeyId"), "Tags": request.get("Tags", []), "versions": {},
              "CreatedDate": now()}
    add_version(secret, token, request.get("SecretString"))
    state.secrets[name] = secret
    return {"ARN": arn, "Name": name, "VersionId": token}


def describe_secret(state, caller, request):
    secret = find_secret(state, request.get("SecretId", ""))
    reply = {"ARN": secret["ARN"], "Name": secret["Name"], "Description": secret["Description"],
             "Tags": secret["Tags"], "CreatedDate": secret["CreatedDate"],
             "VersionIdsToStages": {token: v["stages"] for token, v in secret["versions"].items() if v["stages"]}}
    if secret["KmsKeyId"]:
        reply["KmsKeyId"] = secret["KmsKeyId"]
    return reply


def get_secret_value(state, caller, request):
    secret = find_secret(state, request.get("SecretId", ""))
    for token, version in secret["versions"].items():
        if "AWSCURRENT" in version["stages"]:
            return {"ARN": secret["ARN"], "Name": secret["Name"], "VersionId": token,
                    "SecretString": version["value"], "VersionStages": version["stages"],
                    "CreatedDate": version["created"]}
    raise ApiError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value.")


def put_secret_value(state, caller, request):
    secret = find_secret(state, request.get("SecretId", ""))
    if state.deny and state.deny in secret["Name"]:
        raise ApiError(400, "AccessDeniedException", "User is not authorized to perform: secretsmanager:PutSecretValue")
    token = check_token(request)
    version = secret["versions"].get(token)
    if version is not None:
        if version["value"] != request.get("SecretString"):
            raise ApiError(400, "ResourceExistsException", "A version with this ClientRequestToken already exists "
                                                           "with a different value.")
    else:
        add_version(secret, token, request.get("SecretString"))
    return {"ARN": secret["ARN"], "Name": secret["Name"], "VersionId": token,
            "VersionStages": secret["versions"][token]["stages"]}


def list_secrets(state, caller, request):
    return {"SecretList": [{"ARN": s["ARN"], "Name": s["Name"], "Description": s["Description"], "Tags": s["Tags"]}
                           for s in state.secrets.values()]}


SECRETS_MANAGER_OPERATIONS = {
    "CreateSecret": create_secret,
    "DescribeSecret": describe_secret,
    "GetSecretValue": get_secret_value,
    "PutSecretValue": put_secret_value,
    "ListSecrets": list_secrets,
}


SERVICES = {
    "secretsmanager": Service("secretsmanager", "json", SECRETS_MANAGER_OPERATIONS, faults=True),
    "events": Service("events", "json", EVENTS_OPERATIONS),
    "sns": Service("sns", "query", SNS_ACTIONS, xmlns="http://sns.amazonaws.com/doc/2010-03-31/",
                   auth_errors=QUERY_AUTH_ERRORS),
    "iam": Service("iam", "query", IAM_ACTIONS, xmlns="https://iam.amazonaws.com/doc/2010-05-08/",
                   version="2010-05-08", auth_errors=QUERY_AUTH_ERRORS),
    "sts": Service("sts", "query", {"GetCallerIdentity": get_caller_identity},
                   xmlns="https://sts.amazonaws.com/doc/2011-06-15/", auth_errors=QUERY_AUTH_ERRORS),
}


def main():
    credentials = json.loads(os.environ.get("KEYHOUND_TEST_CREDENTIALS", "[]"))
    if not credentials:
        print("KEYHOUND_TEST_CREDENTIALS is empty", file=sys.stderr)
        return 2
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    certificate = os.environ.get("KEYHOUND_TEST_TLS_CERT")
    if certificate:  # serve https with this certificate and KEYHOUND_TEST_TLS_KEY
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, os.environ["KEYHOUND_TEST_TLS_KEY"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    server.state = State(credentials)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
