"""The AWS query protocol on the wire, checked with raw (SigV4-signed) HTTP:
action dispatch errors, response and error envelopes, request ids, GET
requests, encodings of documents, timestamps and booleans, keep-alive."""

import http.client
import re
import urllib.parse
import xml.etree.ElementTree as ET

import harness
from harness import IamTestCase, setUpModule, tearDownModule, unique, doc  # noqa: F401

XMLNS = "{%s}" % harness.IAM_XMLNS


def parse(resp):
    return ET.fromstring(resp.body)


class ActionDispatch(IamTestCase):
    def error_of(self, resp):
        root = parse(resp)
        self.assertTrue(root.tag.endswith("ErrorResponse"), resp)
        err = root.find("{*}Error")
        return {c.tag.split("}")[-1]: c.text for c in err}

    def test_missing_action_is_missing_action_400(self):
        r = harness.signed([("Version", "2010-05-08"), ("UserName", "x")])
        self.assertEqual(r.status, 400, r)
        err = self.error_of(r)
        self.assertEqual(err["Code"], "MissingAction")
        self.assertEqual(err["Type"], "Sender")

    def test_unknown_action_is_invalid_action_400(self):
        r = harness.iam_call("FlyToTheMoon")
        self.assertEqual(r.status, 400, r)
        err = self.error_of(r)
        self.assertEqual(err["Code"], "InvalidAction")
        self.assertEqual(err["Type"], "Sender")
        self.assertIn("FlyToTheMoon", err.get("Message") or "")


class Envelopes(IamTestCase):
    def test_success_envelope_shape(self):
        name = unique("wire")
        r = harness.iam_call("CreateUser", {"UserName": name, "Path": "/w/"})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("text/xml"), r.headers)
        self.assertRegex(r.text, r'<CreateUserResponse xmlns="https://iam\.amazonaws\.com/doc/2010-05-08/">')
        root = parse(r)
        self.assertEqual(root.tag, XMLNS + "CreateUserResponse")
        children = [c.tag for c in root]
        self.assertEqual(children, [XMLNS + "CreateUserResult", XMLNS + "ResponseMetadata"])
        user = root.find(XMLNS + "CreateUserResult/" + XMLNS + "User")
        self.assertEqual(user.find(XMLNS + "UserName").text, name)
        self.assertEqual(user.find(XMLNS + "Path").text, "/w/")
        self.assertTrue(user.find(XMLNS + "UserId").text.startswith("AIDA"))
        request_id = root.find(XMLNS + "ResponseMetadata/" + XMLNS + "RequestId").text
        self.assertTrue(request_id)
        self.assertEqual(r.headers.get("x-amzn-requestid"), request_id)

    def test_request_ids_differ(self):
        ids = {harness.iam_call("ListUsers").headers.get("x-amzn-requestid") for _ in range(5)}
        self.assertEqual(len(ids), 5)

    def test_operation_without_result_members_has_response_metadata(self):
        name = unique("nr")
        harness.iam_call("CreateUser", {"UserName": name})
        r = harness.iam_call("DeleteUser", {"UserName": name})
        self.assertEqual(r.status, 200, r)
        root = parse(r)
        self.assertEqual(root.tag, XMLNS + "DeleteUserResponse")
        self.assertEqual(r.headers.get("x-amzn-requestid"), root.find(XMLNS + "ResponseMetadata/" + XMLNS + "RequestId").text)

    def test_error_envelope_shape(self):
        r = harness.iam_call("GetUser", {"UserName": "nobody-at-all"})
        self.assertEqual(r.status, 404, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("text/xml"), r.headers)
        root = parse(r)
        self.assertEqual(root.tag.split("}")[-1], "ErrorResponse")
        err = root.find("{*}Error")
        self.assertIsNotNone(err, r)
        self.assertEqual(err.find("{*}Type").text, "Sender")
        self.assertEqual(err.find("{*}Code").text, "NoSuchEntity")
        self.assertEqual(err.find("{*}Message").text, "The user with name nobody-at-all cannot be found.")
        rid = root.find("{*}RequestId").text
        self.assertTrue(rid)
        self.assertEqual(r.headers.get("x-amzn-requestid"), rid)
        self.assertRegex(r.text, r"<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender</Type>\s*<Code>NoSuchEntity</Code>")

    def test_list_envelope_uses_member_elements_and_booleans(self):
        for _ in range(2):
            harness.iam_call("CreateUser", {"UserName": unique("m")})
        r = harness.iam_call("ListUsers", {"MaxItems": "1"})
        self.assertEqual(r.status, 200, r)
        root = parse(r)
        result = root.find(XMLNS + "ListUsersResult")
        members = result.findall(XMLNS + "Users/" + XMLNS + "member")
        self.assertEqual(len(members), 1)
        self.assertEqual(result.find(XMLNS + "IsTruncated").text, "true")
        self.assertTrue(result.find(XMLNS + "Marker").text)

    def test_timestamps_are_iso8601_utc(self):
        r = harness.iam_call("CreateUser", {"UserName": unique("ts")})
        date = parse(r).find(".//" + XMLNS + "CreateDate").text
        self.assertRegex(date, r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

    def test_policy_documents_are_url_encoded_on_the_wire(self):
        name = unique("enc")
        text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a b/%"}]}'
        harness.iam_call("CreateRole", {"RoleName": name, "AssumeRolePolicyDocument": doc(harness.TRUST_EC2)})
        harness.iam_call("PutRolePolicy", {"RoleName": name, "PolicyName": "p", "PolicyDocument": text})
        r = harness.iam_call("GetRolePolicy", {"RoleName": name, "PolicyName": "p"})
        encoded = parse(r).find(".//" + XMLNS + "PolicyDocument").text
        self.assertNotIn("{", encoded)
        self.assertEqual(urllib.parse.unquote(encoded), text)
        # boto3 decodes it to the same structure.
        self.assertEqual(self.iam.get_role_policy(RoleName=name, PolicyName="p")["PolicyDocument"]["Statement"][0]["Resource"],
                         "arn:aws:s3:::a b/%")

    def test_xml_special_characters_are_escaped(self):
        name = unique("esc")
        desc = "a <b> & \"c\" 'd' \u00e9\u00fc"
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), Description=desc)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["Description"], desc)
        r = harness.iam_call("GetRole", {"RoleName": name})
        self.assertEqual(parse(r).find(".//" + XMLNS + "Description").text, desc)

    def test_integers_serialize_as_numbers(self):
        name = unique("int")
        self.iam.create_role(RoleName=name, AssumeRolePolicyDocument=doc(harness.TRUST_EC2), MaxSessionDuration=7200)
        r = harness.iam_call("GetRole", {"RoleName": name})
        self.assertEqual(parse(r).find(".//" + XMLNS + "MaxSessionDuration").text, "7200")


class Transport(IamTestCase):
    def test_get_query_string_request_works_like_post(self):
        name = unique("viaget")
        r = harness.signed([("Action", "CreateUser"), ("Version", "2010-05-08"), ("UserName", name)], method="GET")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(parse(r).find(".//" + XMLNS + "UserName").text, name)
        r = harness.signed([("Action", "GetUser"), ("Version", "2010-05-08"), ("UserName", name)], method="GET")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.iam.get_user(UserName=name)["User"]["UserName"], name)

    def test_get_error_matches_post_error(self):
        g = harness.signed([("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "no-role")], method="GET")
        p = harness.signed([("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "no-role")], method="POST")
        self.assertEqual((g.status, p.status), (404, 404))
        self.assertEqual(parse(g).find("{*}Error/{*}Code").text, parse(p).find("{*}Error/{*}Code").text)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials

        host = harness.endpoint().split("//")[1]
        conn = http.client.HTTPConnection(host, timeout=10)
        try:
            for i in range(3):
                body = urllib.parse.urlencode([("Action", "ListUsers"), ("Version", "2010-05-08")])
                req = botocore.awsrequest.AWSRequest(
                    method="POST", url=harness.endpoint() + "/", data=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                )
                botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), "iam", "us-east-1").add_auth(req)
                conn.request("POST", "/", body=body, headers=dict(req.headers))
                resp = conn.getresponse()
                data = resp.read()
                self.assertEqual(resp.status, 200, data)
                self.assertIn(b"ListUsersResponse", data)
        finally:
            conn.close()

    def test_form_with_charset_and_plus_encoding(self):
        name = unique("plus")
        body = "Action=CreateRole&Version=2010-05-08&RoleName=%s&Description=two+words&AssumeRolePolicyDocument=%s" % (
            name,
            urllib.parse.quote_plus(doc(harness.TRUST_EC2)),
        )
        r = harness.signed(urllib.parse.parse_qsl(body))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.iam.get_role(RoleName=name)["Role"]["Description"], "two words")

    def test_unsigned_health_is_json(self):
        r = harness.http("GET", "/_iamlocal/health")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/json"), r.headers)
        import json

        body = json.loads(r.body)
        self.assertIsInstance(body, dict)

    def test_unknown_admin_path_is_404(self):
        r = harness.http("GET", "/_iamlocal/x")
        self.assertEqual(r.status, 404, r)
        r = harness.http("POST", "/_iamlocal/does-not-exist", body=b"")
        self.assertEqual(r.status, 404, r)

    def test_request_id_header_on_every_api_answer(self):
        for action, params in (("ListRoles", {}), ("GetRole", {"RoleName": "zz-none"}), ("Nope", {})):
            r = harness.iam_call(action, params)
            self.assertTrue(re.match(r"^[0-9a-fA-F-]{16,}$", r.headers.get("x-amzn-requestid", "")), (action, r.headers))
