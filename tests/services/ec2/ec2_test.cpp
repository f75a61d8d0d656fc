// The EC2 handlers against a real Store: launching, describing (filters,
// pagination), state changes with their reported transitions, instance
// profile associations, metadata options, EC2's error codes and texts, and
// the permissions each operation asks for.
#include "iamlocal/services/ec2.h"

#include <set>
#include <shared_mutex>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "iamlocal/auth/principal.h"
#include "iamlocal/core/clock.h"
#include "iamlocal/services/iam.h"
#include "iamlocal/services/operation.h"
#include "iamlocal/store/store.h"

namespace iamlocal::services {
namespace {

using nlohmann::json;

constexpr std::string_view kAccount = "123456789012";

class Ec2Test : public ::testing::Test {
 public:
  Ec2Test() {
    registerIamOperations(table_, store_);
    registerEc2Operations(table_, store_);
    parseIso8601("2024-05-01T12:00:00Z", now_);
    caller_ = auth::rootPrincipal(kAccount, "AKIAROOTROOTROOTROOT");
  }

  Call makeCall(std::string_view service, std::string_view action) const {
    Call c;
    c.service = std::string(service);
    c.action = std::string(action);
    c.request_id = "req";
    c.region = "eu-west-1";
    c.caller = caller_;
    c.now = now_;
    return c;
  }

  Result<json> call(std::string_view action, const json& input, std::string_view service = "ec2") {
    const OperationHandler* handler = table_.find(service, action);
    if (handler == nullptr) {
      ADD_FAILURE() << "no handler for " << action;
      return std::unexpected(Error{ErrorCode::InvalidAction, std::string(action)});
    }
    return (*handler)(makeCall(service, action), input);
  }

  json ok(std::string_view action, const json& input = json::object(), std::string_view service = "ec2") {
    auto result = call(action, input, service);
    EXPECT_TRUE(result) << action << ": " << (result ? "" : result.error().message);
    return result ? *result : json();
  }

  Error error(std::string_view action, const json& input) {
    auto result = call(action, input);
    EXPECT_FALSE(result) << action << " succeeded: " << (result ? result->dump() : "");
    return result ? Error{ErrorCode::InternalFailure, ""} : result.error();
  }

  // The checks RunInstances asks for a launch of ami-1 with `extra` members.
  std::vector<AccessCheck> runInstancesChecks(const json& extra = json::object()) {
    json input = {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}};
    input.update(extra);
    std::vector<AccessCheck> checks;
    (*table_.findAccess("ec2", "RunInstances"))(makeCall("ec2", "RunInstances"), input, checks);
    return checks;
  }

  // A role with an instance profile holding it; returns the profile ARN.
  std::string makeProfile(const std::string& name) {
    ok("CreateRole",
       {{"RoleName", name + "-role"},
        {"AssumeRolePolicyDocument",
         R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]})"}},
       "iam");
    json p = ok("CreateInstanceProfile", {{"InstanceProfileName", name}}, "iam");
    ok("AddRoleToInstanceProfile", {{"InstanceProfileName", name}, {"RoleName", name + "-role"}}, "iam");
    return p["InstanceProfile"]["Arn"];
  }

  std::string run(const json& extra = json::object()) {
    json input = {{"ImageId", "ami-12345678"}, {"MinCount", 1}, {"MaxCount", 1}};
    input.update(extra);
    json r = ok("RunInstances", input);
    return r["Instances"][0]["InstanceId"];
  }

  json describeOne(const std::string& id) {
    json r = ok("DescribeInstances", {{"InstanceIds", {id}}});
    return r["Reservations"][0]["Instances"][0];
  }

  store::Store store_;
  OperationTable table_;
  TimePoint now_;
  auth::Principal caller_;
};

TEST_F(Ec2Test, RunInstancesReportsPendingThenDescribeShowsRunning) {
  json r = ok("RunInstances", {{"ImageId", "ami-12345678"}, {"MinCount", 2}, {"MaxCount", 3}});
  EXPECT_EQ(r["OwnerId"], kAccount);
  EXPECT_TRUE(r["ReservationId"].get<std::string>().starts_with("r-"));
  ASSERT_EQ(r["Instances"].size(), 3u);
  const json& first = r["Instances"][0];
  const std::string id = first["InstanceId"];
  EXPECT_EQ(id.size(), 19u);
  EXPECT_TRUE(id.starts_with("i-"));
  EXPECT_EQ(first["State"], json({{"Code", 0}, {"Name", "pending"}}));
  EXPECT_EQ(first["InstanceType"], "m1.small");  // EC2's default
  EXPECT_EQ(first["Placement"]["AvailabilityZone"], "eu-west-1a");
  EXPECT_TRUE(first["PrivateDnsName"].get<std::string>().ends_with(".eu-west-1.compute.internal"));
  EXPECT_EQ(r["Instances"][2]["AmiLaunchIndex"], 2);

  json described = describeOne(id);
  EXPECT_EQ(described["State"], json({{"Code", 16}, {"Name", "running"}}));
  EXPECT_EQ(described["MetadataOptions"]["HttpTokens"], "optional");
  EXPECT_EQ(described["MetadataOptions"]["HttpEndpoint"], "enabled");
}

TEST_F(Ec2Test, RunInstancesRefusesBadCountsUserDataAndUnknownProfiles) {
  struct Case {
    const char* label;
    json input;
    ErrorCode code;
    std::string message;
  };
  const Case cases[] = {
      {"zero min", {{"ImageId", "ami-1"}, {"MinCount", 0}, {"MaxCount", 1}}, ErrorCode::InvalidParameterValue,
       "Value (0) for parameter minCount is invalid. Expecting a value greater than 0."},
      {"max below min", {{"ImageId", "ami-1"}, {"MinCount", 2}, {"MaxCount", 1}}, ErrorCode::InvalidParameterValue, ""},
      {"no image", {{"MinCount", 1}, {"MaxCount", 1}}, ErrorCode::MissingParameter,
       "The request must contain the parameter ImageId"},
      {"bad base64", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"UserData", "not base64!"}},
       ErrorCode::InvalidParameterValue, "Invalid BASE64 encoding of user data."},
      {"unknown profile name",
       {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"IamInstanceProfile", {{"Name", "nope"}}}},
       ErrorCode::InvalidParameterValue,
       "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
      {"both name and arn",
       {{"ImageId", "ami-1"},
        {"MinCount", 1},
        {"MaxCount", 1},
        {"IamInstanceProfile", {{"Name", "a"}, {"Arn", "arn:aws:iam::123456789012:instance-profile/a"}}}},
       ErrorCode::InvalidParameterCombination, ""},
      {"hop limit", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"MetadataOptions", {{"HttpPutResponseHopLimit", 65}}}},
       ErrorCode::InvalidParameterValue, ""},
      {"reserved tag",
       {{"ImageId", "ami-1"},
        {"MinCount", 1},
        {"MaxCount", 1},
        {"TagSpecifications", {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "aws:x"}, {"Value", "v"}}}}}}}},
       ErrorCode::InvalidParameterValue, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    Error e = error("RunInstances", c.input);
    EXPECT_EQ(e.code, c.code) << e.message;
    if (!c.message.empty()) {
      EXPECT_EQ(e.message, c.message);
    }
  }
  EXPECT_EQ(ok("DescribeInstances")["Reservations"].size(), 0u);  // nothing half-launched
}

TEST_F(Ec2Test, DryRunAnswersDryRunOperationAndLaunchesNothing) {
  Error e = error("RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"DryRun", true}});
  EXPECT_EQ(e.code, ErrorCode::DryRunOperation);
  EXPECT_EQ(e.httpStatus(), 412);
  EXPECT_EQ(ok("DescribeInstances")["Reservations"].size(), 0u);
}

TEST_F(Ec2Test, RunInstancesWithProfileTagsOptionsAndUserData) {
  const std::string arn = makeProfile("web");
  const std::string id =
      run({{"IamInstanceProfile", {{"Name", "web"}}},
           {"MetadataOptions", {{"HttpTokens", "required"}, {"InstanceMetadataTags", "enabled"}}},
           {"UserData", "aGVsbG8="},
           {"TagSpecifications", {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "Name"}, {"Value", "app"}}}}}}}});
  json i = describeOne(id);
  EXPECT_EQ(i["IamInstanceProfile"]["Arn"], arn);
  EXPECT_TRUE(i["IamInstanceProfile"]["Id"].get<std::string>().starts_with("AIPA"));
  EXPECT_EQ(i["MetadataOptions"]["HttpTokens"], "required");
  EXPECT_EQ(i["MetadataOptions"]["InstanceMetadataTags"], "enabled");
  EXPECT_EQ(i["Tags"], json::parse(R"([{"Key":"Name","Value":"app"}])"));
  std::shared_lock lock(store_.mutex());
  EXPECT_EQ(store_.findAccount(kAccount)->instances.at(id).user_data, "aGVsbG8=");
  EXPECT_EQ(store_.instanceOwner(id), kAccount);
}

TEST_F(Ec2Test, RunInstancesByProfileArnAndClientTokenIsIdempotent) {
  const std::string arn = makeProfile("byarn");
  json first = ok("RunInstances", {{"ImageId", "ami-1"},
                                   {"MinCount", 1},
                                   {"MaxCount", 1},
                                   {"ClientToken", "tok-1"},
                                   {"IamInstanceProfile", {{"Arn", arn}}}});
  json again = ok("RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}, {"ClientToken", "tok-1"}});
  EXPECT_EQ(first["Instances"][0]["InstanceId"], again["Instances"][0]["InstanceId"]);
  EXPECT_EQ(ok("DescribeInstances")["Reservations"][0]["Instances"].size(), 1u);
}

TEST_F(Ec2Test, DescribeInstancesNamesMalformedAndUnknownIds) {
  run();
  Error malformed = error("DescribeInstances", {{"InstanceIds", {"web-1"}}});
  EXPECT_EQ(malformed.code, ErrorCode::InvalidInstanceID_Malformed);
  EXPECT_EQ(malformed.message, "Invalid id: \"web-1\"");
  Error one = error("DescribeInstances", {{"InstanceIds", {"i-0123456789abcdef0"}}});
  EXPECT_EQ(one.code, ErrorCode::InvalidInstanceID_NotFound);
  EXPECT_EQ(one.message, "The instance ID 'i-0123456789abcdef0' does not exist");
  Error two = error("DescribeInstances", {{"InstanceIds", {"i-0123456789abcdef0", "i-00000000"}}});
  EXPECT_EQ(two.message, "The instance IDs 'i-0123456789abcdef0, i-00000000' do not exist");
  Error combination = error("DescribeInstances", {{"InstanceIds", {"i-00000000"}}, {"MaxResults", 5}});
  EXPECT_EQ(combination.code, ErrorCode::InvalidParameterCombination);
}

TEST_F(Ec2Test, DescribeInstancesFiltersByStateTagsAndWildcards) {
  const std::string a = run({{"TagSpecifications", {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "env"}, {"Value", "prod"}}}}}}}});
  const std::string b = run({{"TagSpecifications", {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "env"}, {"Value", "dev"}}}}}}}});
  const std::string c = run();
  ok("StopInstances", {{"InstanceIds", {c}}});
  auto ids = [&](const json& filters) {
    std::set<std::string> out;
    const json page = ok("DescribeInstances", {{"Filters", filters}});
    for (const auto& r : page["Reservations"])
      for (const auto& i : r["Instances"]) out.insert(i["InstanceId"]);
    return out;
  };
  EXPECT_EQ(ids(json::parse(R"([{"Name":"tag:env","Values":["prod"]}])")), std::set<std::string>{a});
  EXPECT_EQ(ids(json::parse(R"([{"Name":"tag:env","Values":["p*","d?v"]}])")), (std::set<std::string>{a, b}));
  EXPECT_EQ(ids(json::parse(R"([{"Name":"tag-key","Values":["env"]}])")), (std::set<std::string>{a, b}));
  EXPECT_EQ(ids(json::parse(R"([{"Name":"instance-state-name","Values":["stopped"]}])")), std::set<std::string>{c});
  EXPECT_EQ(ids(json{{{"Name", "instance-id"}, {"Values", {b}}}}), std::set<std::string>{b});
  EXPECT_EQ(ids(json::parse(R"([{"Name":"instance-state-name","Values":["running"]},{"Name":"tag:env","Values":["dev"]}])")),
            std::set<std::string>{b});
  Error bad = error("DescribeInstances", {{"Filters", json::parse(R"([{"Name":"colour","Values":["red"]}])")}});
  EXPECT_EQ(bad.code, ErrorCode::InvalidParameterValue);
  EXPECT_EQ(bad.message, "The filter 'colour' is invalid");
}

TEST_F(Ec2Test, DescribeInstancesPagesWithNextToken) {
  ok("RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 12}, {"MaxCount", 12}});
  std::set<std::string> seen;
  json input = {{"MaxResults", 5}};
  int pages = 0;
  for (;;) {
    json page = ok("DescribeInstances", input);
    ++pages;
    for (const auto& r : page["Reservations"])
      for (const auto& i : r["Instances"]) EXPECT_TRUE(seen.insert(i["InstanceId"]).second);
    if (!page.contains("NextToken")) break;
    input["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 12u);
  EXPECT_EQ(error("DescribeInstances", {{"MaxResults", 4}}).code, ErrorCode::InvalidParameterValue);
}

TEST_F(Ec2Test, DescribeInstancesRefusesTokensItDidNotIssueAndEndsPastTheLastInstance) {
  ok("RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 6}, {"MaxCount", 6}});
  for (const char* bad : {"abc", "i-XYZ", "iip-assoc-0123456789abcdef0"}) {
    SCOPED_TRACE(bad);
    Error e = error("DescribeInstances", {{"MaxResults", 5}, {"NextToken", bad}});
    EXPECT_EQ(e.code, ErrorCode::InvalidParameterValue);
    EXPECT_EQ(e.message, "Value ( " + std::string(bad) + " ) for parameter NextToken is invalid. The token is invalid.");
  }
  // A token whose instance is gone starts at the next one; past the end the page is empty.
  json last = ok("DescribeInstances", {{"MaxResults", 5}, {"NextToken", "i-fffffffffffffffff"}});
  EXPECT_TRUE(last["Reservations"].empty());
  EXPECT_FALSE(last.contains("NextToken"));
  json all = ok("DescribeInstances", {{"MaxResults", 5}, {"NextToken", "i-00000000000000000"}});
  ASSERT_EQ(all["Reservations"].size(), 1u);  // one launch, one reservation
  EXPECT_EQ(all["Reservations"][0]["Instances"].size(), 5u);
  EXPECT_TRUE(all.contains("NextToken"));
  EXPECT_EQ(error("DescribeInstances", {{"MaxResults", 1001}}).message,
            "Value ( 1001 ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
}

TEST_F(Ec2Test, DescribeIamInstanceProfileAssociationsPagesAndRefusesForeignTokens) {
  makeProfile("paged");
  for (int i = 0; i < 6; ++i) run({{"IamInstanceProfile", {{"Name", "paged"}}}});
  json first = ok("DescribeIamInstanceProfileAssociations", {{"MaxResults", 5}});
  ASSERT_EQ(first["IamInstanceProfileAssociations"].size(), 5u);
  ASSERT_TRUE(first.contains("NextToken"));
  json second = ok("DescribeIamInstanceProfileAssociations", {{"MaxResults", 5}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["IamInstanceProfileAssociations"].size(), 1u);
  EXPECT_FALSE(second.contains("NextToken"));
  std::set<std::string> ids;
  for (const json* page : {&first, &second})
    for (const auto& a : (*page)["IamInstanceProfileAssociations"]) EXPECT_TRUE(ids.insert(a["AssociationId"]).second);
  Error e = error("DescribeIamInstanceProfileAssociations", {{"MaxResults", 5}, {"NextToken", "i-00000000"}});
  EXPECT_EQ(e.code, ErrorCode::InvalidParameterValue);
  EXPECT_EQ(e.message, "Value ( i-00000000 ) for parameter NextToken is invalid. The token is invalid.");
  EXPECT_EQ(error("DescribeIamInstanceProfileAssociations",
                  {{"AssociationIds", {"iip-assoc-0123456789abcdef0"}}, {"MaxResults", 5}})
                .code,
            ErrorCode::InvalidParameterCombination);
}

TEST_F(Ec2Test, StateChangesReportEc2CodesAndTransitions) {
  const std::string id = run();
  json stop = ok("StopInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(stop["StoppingInstances"][0]["PreviousState"], json({{"Code", 16}, {"Name", "running"}}));
  EXPECT_EQ(stop["StoppingInstances"][0]["CurrentState"], json({{"Code", 64}, {"Name", "stopping"}}));
  EXPECT_EQ(describeOne(id)["State"]["Name"], "stopped");
  json start = ok("StartInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(start["StartingInstances"][0]["PreviousState"]["Code"], 80);
  EXPECT_EQ(start["StartingInstances"][0]["CurrentState"]["Name"], "pending");
  json term = ok("TerminateInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(term["TerminatingInstances"][0]["CurrentState"], json({{"Code", 32}, {"Name", "shutting-down"}}));
  EXPECT_EQ(describeOne(id)["State"], json({{"Code", 48}, {"Name", "terminated"}}));
  json again = ok("TerminateInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(again["TerminatingInstances"][0]["PreviousState"]["Code"], 48);
  EXPECT_EQ(error("StartInstances", {{"InstanceIds", {id}}}).code, ErrorCode::IncorrectInstanceState);
  EXPECT_EQ(error("StopInstances", {{"InstanceIds", {"i-00000000"}}}).code, ErrorCode::InvalidInstanceID_NotFound);
}

TEST_F(Ec2Test, TerminatedInstancesDisappearFromListingsAfterAnHour) {
  const std::string id = run();
  ok("TerminateInstances", {{"InstanceIds", {id}}});
  EXPECT_EQ(ok("DescribeInstances")["Reservations"].size(), 1u);
  now_ += std::chrono::minutes(61);
  EXPECT_EQ(ok("DescribeInstances")["Reservations"].size(), 0u);
}

TEST_F(Ec2Test, AssociationsCanBeMadeListedReplacedAndRemoved) {
  const std::string first_arn = makeProfile("first");
  const std::string second_arn = makeProfile("second");
  const std::string id = run();
  json assoc = ok("AssociateIamInstanceProfile", {{"InstanceId", id}, {"IamInstanceProfile", {{"Name", "first"}}}});
  const std::string assoc_id = assoc["IamInstanceProfileAssociation"]["AssociationId"];
  EXPECT_TRUE(assoc_id.starts_with("iip-assoc-"));
  EXPECT_EQ(assoc["IamInstanceProfileAssociation"]["State"], "associating");
  EXPECT_EQ(assoc["IamInstanceProfileAssociation"]["IamInstanceProfile"]["Arn"], first_arn);

  Error twice = error("AssociateIamInstanceProfile", {{"InstanceId", id}, {"IamInstanceProfile", {{"Name", "second"}}}});
  EXPECT_EQ(twice.code, ErrorCode::IncorrectState);
  EXPECT_EQ(twice.message, "There is an existing association for instance " + id);

  json listed = ok("DescribeIamInstanceProfileAssociations", {{"Filters", {{{"Name", "instance-id"}, {"Values", {id}}}}}});
  ASSERT_EQ(listed["IamInstanceProfileAssociations"].size(), 1u);
  EXPECT_EQ(listed["IamInstanceProfileAssociations"][0]["State"], "associated");

  json replaced = ok("ReplaceIamInstanceProfileAssociation",
                     {{"AssociationId", assoc_id}, {"IamInstanceProfile", {{"Arn", second_arn}}}});
  const std::string new_id = replaced["IamInstanceProfileAssociation"]["AssociationId"];
  EXPECT_NE(new_id, assoc_id);
  EXPECT_EQ(describeOne(id)["IamInstanceProfile"]["Arn"], second_arn);
  EXPECT_EQ(error("DisassociateIamInstanceProfile", {{"AssociationId", assoc_id}}).code,
            ErrorCode::InvalidAssociationID_NotFound);

  json gone = ok("DisassociateIamInstanceProfile", {{"AssociationId", new_id}});
  EXPECT_EQ(gone["IamInstanceProfileAssociation"]["State"], "disassociating");
  EXPECT_FALSE(describeOne(id).contains("IamInstanceProfile"));
  EXPECT_EQ(ok("DescribeIamInstanceProfileAssociations")["IamInstanceProfileAssociations"].size(), 0u);
  EXPECT_EQ(error("DescribeIamInstanceProfileAssociations", {{"AssociationIds", {new_id}}}).code,
            ErrorCode::InvalidAssociationID_NotFound);
}

TEST_F(Ec2Test, ModifyInstanceMetadataOptionsChangesOnlyWhatIsGiven) {
  const std::string id = run();
  json r = ok("ModifyInstanceMetadataOptions", {{"InstanceId", id}, {"HttpTokens", "required"}, {"HttpPutResponseHopLimit", 3}});
  EXPECT_EQ(r["InstanceId"], id);
  EXPECT_EQ(r["InstanceMetadataOptions"]["State"], "pending");
  EXPECT_EQ(r["InstanceMetadataOptions"]["HttpTokens"], "required");
  ok("ModifyInstanceMetadataOptions", {{"InstanceId", id}, {"HttpEndpoint", "disabled"}});
  json options = describeOne(id)["MetadataOptions"];
  EXPECT_EQ(options["HttpTokens"], "required");
  EXPECT_EQ(options["HttpPutResponseHopLimit"], 3);
  EXPECT_EQ(options["HttpEndpoint"], "disabled");
  EXPECT_EQ(error("ModifyInstanceMetadataOptions", {{"InstanceId", "i-00000000"}}).code,
            ErrorCode::InvalidInstanceID_NotFound);
}

TEST_F(Ec2Test, AccessTableAsksForPassRoleOnTheProfilesRole) {
  makeProfile("pass");
  ASSERT_NE(table_.findAccess("ec2", "RunInstances"), nullptr);
  std::vector<AccessCheck> checks = runInstancesChecks({{"IamInstanceProfile", {{"Name", "pass"}}}});
  ASSERT_EQ(checks.size(), 7u);
  const AccessCheck& pass = checks.back();
  EXPECT_EQ(pass.action, "iam:PassRole");
  EXPECT_EQ(pass.resource, "arn:aws:iam::123456789012:role/pass-role");
  ASSERT_EQ(pass.context.size(), 1u);
  EXPECT_EQ(pass.context[0].key, "iam:passedtoservice");
  EXPECT_EQ(pass.context[0].values, std::vector<std::string>{"ec2.amazonaws.com"});

  for (const char* action : {"DescribeInstances", "StartInstances", "StopInstances", "TerminateInstances",
                             "AssociateIamInstanceProfile", "DescribeIamInstanceProfileAssociations",
                             "DisassociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation",
                             "ModifyInstanceMetadataOptions"})
    EXPECT_NE(table_.findAccess("ec2", action), nullptr) << action;
  checks.clear();
  (*table_.findAccess("ec2", "StopInstances"))(makeCall("ec2", "StopInstances"), {{"InstanceIds", {"i-00000001"}}}, checks);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].resource, "arn:aws:ec2:eu-west-1:123456789012:instance/i-00000001");
}

TEST_F(Ec2Test, RunInstancesIsAuthorizedOnEveryResourceItUsesOrCreates) {
  const std::vector<AccessCheck> checks = runInstancesChecks();
  const std::string account = "arn:aws:ec2:eu-west-1:123456789012:";
  std::vector<std::string> resources;
  for (const auto& check : checks) {
    EXPECT_EQ(check.action, "ec2:RunInstances") << check.resource;
    EXPECT_TRUE(check.context.empty()) << check.resource;
    resources.push_back(check.resource);
  }
  // Without a subnet or group, the default VPC's: those the instance shows.
  const json launched = ok("RunInstances", {{"ImageId", "ami-1"}, {"MinCount", 1}, {"MaxCount", 1}})["Instances"][0];
  EXPECT_EQ(resources, (std::vector<std::string>{
                           account + "instance/*", "arn:aws:ec2:eu-west-1::image/ami-1",
                           account + "subnet/" + launched["SubnetId"].get<std::string>(),
                           account + "security-group/" + launched["SecurityGroups"][0]["GroupId"].get<std::string>(),
                           account + "network-interface/*", account + "volume/*"}));
}

TEST_F(Ec2Test, RunInstancesNamesItsSubnetGroupsAndKeyAndTagsNeedCreateTags) {
  const std::vector<AccessCheck> checks = runInstancesChecks(
      {{"SubnetId", "subnet-0abc"},
       {"SecurityGroupIds", {"sg-1", "sg-2"}},
       {"KeyName", "deploy"},
       {"TagSpecifications",
        {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "Team"}, {"Value", "web"}}}}},
         {{"ResourceType", "volume"}, {"Tags", {{{"Key", "Backup"}, {"Value", "daily"}}}}}}}});
  const std::string account = "arn:aws:ec2:eu-west-1:123456789012:";
  std::vector<std::string> seen;
  for (const auto& check : checks) seen.push_back(check.action + " " + check.resource);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "ec2:RunInstances " + account + "instance/*", "ec2:RunInstances arn:aws:ec2:eu-west-1::image/ami-1",
                      "ec2:RunInstances " + account + "subnet/subnet-0abc",
                      "ec2:RunInstances " + account + "security-group/sg-1",
                      "ec2:RunInstances " + account + "security-group/sg-2",
                      "ec2:RunInstances " + account + "network-interface/*",
                      "ec2:RunInstances " + account + "volume/*", "ec2:RunInstances " + account + "key-pair/deploy",
                      "ec2:CreateTags " + account + "instance/*", "ec2:CreateTags " + account + "volume/*"}));
  auto value = [](const AccessCheck& check, std::string_view key) {
    for (const auto& entry : check.context)
      if (entry.key == key) return entry.values;
    return std::vector<std::string>{"(absent)"};
  };
  // Each created resource is judged with its own tags; those only used, with none.
  EXPECT_EQ(value(checks[0], "aws:requesttag/team"), std::vector<std::string>{"web"});
  EXPECT_EQ(value(checks[0], "aws:tagkeys"), std::vector<std::string>{"Team"});
  EXPECT_EQ(value(checks[6], "aws:tagkeys"), std::vector<std::string>{"Backup"});
  EXPECT_EQ(value(checks[6], "aws:requesttag/team"), std::vector<std::string>{"(absent)"});
  for (std::size_t i : {1, 2, 3, 4, 7}) EXPECT_TRUE(checks[i].context.empty()) << checks[i].resource;
  EXPECT_EQ(value(checks[5], "aws:tagkeys"), std::vector<std::string>{"(absent)"});  // no interface tags
  const AccessCheck& tag_volume = checks.back();
  EXPECT_EQ(value(tag_volume, "ec2:createaction"), std::vector<std::string>{"RunInstances"});
  EXPECT_EQ(value(tag_volume, "aws:requesttag/backup"), std::vector<std::string>{"daily"});
  EXPECT_EQ(value(tag_volume, "aws:tagkeys"), std::vector<std::string>{"Backup"});
  EXPECT_EQ(value(tag_volume, "aws:requesttag/team"), std::vector<std::string>{"(absent)"});
}

TEST_F(Ec2Test, RunInstancesJudgesAllOfATypesTagSpecificationsTogether) {
  // Two instance specifications: aws:TagKeys lists the keys of both, so a
  // ForAllValues condition cannot be passed by splitting the tags.
  const std::vector<AccessCheck> checks = runInstancesChecks(
      {{"SecurityGroups", {"default", "web"}},
       {"TagSpecifications",
        {{{"ResourceType", "instance"}, {"Tags", {{{"Key", "Team"}, {"Value", "web"}}}}},
         {{"ResourceType", "instance"}, {"Tags", {{{"Key", "Secret"}, {"Value", "x"}}}}}}}});
  for (const auto& check : checks) {
    if (check.resource.ends_with(":instance/*")) {
      std::vector<std::string> keys;
      for (const auto& entry : check.context)
        if (entry.key == "aws:tagkeys") keys.insert(keys.end(), entry.values.begin(), entry.values.end());
      EXPECT_EQ(keys, (std::vector<std::string>{"Team", "Secret"})) << check.action;
    }
  }
  // A group named other than "default" may be any group.
  const std::string groups = "arn:aws:ec2:eu-west-1:123456789012:security-group/";
  EXPECT_EQ(checks[3].resource.substr(0, groups.size()), groups);
  EXPECT_NE(checks[3].resource, groups + "*");
  EXPECT_EQ(checks[4].resource, groups + "*");
}

TEST_F(Ec2Test, DeclaredInstancesMayNameAProfileCreatedLater) {
  InstanceSpec spec;
  spec.id = "i-0123456789abcdef0";
  spec.profile_name = "later";
  spec.user_data = "#!/bin/sh\necho hi\n";
  auto id = declareInstance(store_, kAccount, "eu-west-1", spec, now_);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, spec.id);
  EXPECT_EQ(describeOne(spec.id)["IamInstanceProfile"]["Arn"], "arn:aws:iam::123456789012:instance-profile/later");
  const std::string arn = makeProfile("later");
  json i = describeOne(spec.id);
  EXPECT_EQ(i["IamInstanceProfile"]["Arn"], arn);
  EXPECT_TRUE(i["IamInstanceProfile"].contains("Id"));
  EXPECT_FALSE(declareInstance(store_, kAccount, "eu-west-1", spec, now_));  // taken
  spec.id = "web";
  EXPECT_FALSE(declareInstance(store_, kAccount, "eu-west-1", spec, now_));
}

}  // namespace
}  // namespace iamlocal::services
