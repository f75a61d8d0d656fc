// Small hand-written service models for the protocol tests: they exercise
// what the IAM/STS models do not (maps on input, flattened lists,
// locationName, every scalar type) and the EC2 flavor.
#pragma once

#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include "iamlocal/protocol/model.h"

namespace iamlocal::protocol::testing {

inline constexpr std::string_view kDemoQueryModel = R"json({
  "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "demo", "protocol": "query",
               "xmlNamespace": "https://demo.amazonaws.com/doc/2020-01-01/"},
  "operations": {
    "Put": {"name": "Put", "input": {"shape": "PutRequest"},
            "output": {"shape": "PutResponse", "resultWrapper": "PutResult"}},
    "Ping": {"name": "Ping"}
  },
  "shapes": {
    "PutRequest": {"type": "structure", "required": ["Name"], "members": {
      "Name": {"shape": "Str"},
      "Renamed": {"shape": "Str", "locationName": "Alias"},
      "Inner": {"shape": "Inner"},
      "Items": {"shape": "InnerList"},
      "Flat": {"shape": "FlatList"},
      "Named": {"shape": "NamedList"},
      "Attrs": {"shape": "AttrMap"},
      "Labels": {"shape": "LabelMap"},
      "Count": {"shape": "Int"},
      "Big": {"shape": "Long"},
      "Ratio": {"shape": "Dbl"},
      "Enabled": {"shape": "Bool"},
      "When": {"shape": "Time"},
      "Data": {"shape": "Bytes"}
    }},
    "PutResponse": {"type": "structure", "members": {
      "Zeta": {"shape": "Str"},
      "Alpha": {"shape": "Str", "locationName": "alphaName"},
      "Items": {"shape": "InnerList"},
      "Flat": {"shape": "FlatList"},
      "Named": {"shape": "NamedFlatList"},
      "Attrs": {"shape": "AttrMap"},
      "Labels": {"shape": "LabelMap"},
      "Count": {"shape": "Int"},
      "Ratio": {"shape": "Dbl"},
      "Enabled": {"shape": "Bool"},
      "When": {"shape": "Time"},
      "Data": {"shape": "Bytes"}
    }},
    "Inner": {"type": "structure", "members": {
      "Key": {"shape": "Str"},
      "Values": {"shape": "StrList"},
      "Deeper": {"shape": "Deeper"}
    }},
    "Deeper": {"type": "structure", "members": {"Level": {"shape": "Int"}}},
    "InnerList": {"type": "list", "member": {"shape": "Inner"}},
    "StrList": {"type": "list", "member": {"shape": "Str"}},
    "FlatList": {"type": "list", "member": {"shape": "Str"}, "flattened": true},
    "NamedList": {"type": "list", "member": {"shape": "Str", "locationName": "Thing"}},
    "NamedFlatList": {"type": "list", "member": {"shape": "Str", "locationName": "Thing"}, "flattened": true},
    "AttrMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Int"}},
    "LabelMap": {"type": "map", "key": {"shape": "Str", "locationName": "Name"},
                 "value": {"shape": "Str", "locationName": "Text"}},
    "Str": {"type": "string"},
    "Int": {"type": "integer"},
    "Long": {"type": "long"},
    "Dbl": {"type": "double"},
    "Bool": {"type": "boolean"},
    "Time": {"type": "timestamp"},
    "Bytes": {"type": "blob"}
  }
})json";

// A slice of EC2's model, shaped as botocore's: locationName on members,
// queryName on some, "item" list elements.
inline constexpr std::string_view kDemoEc2Model = R"json({
  "metadata": {"apiVersion": "2016-11-15", "endpointPrefix": "ec2", "protocol": "ec2",
               "xmlNamespace": "http://ec2.amazonaws.com/doc/2016-11-15"},
  "operations": {
    "DescribeIamInstanceProfileAssociations": {"name": "DescribeIamInstanceProfileAssociations",
      "input": {"shape": "DescribeRequest"}, "output": {"shape": "DescribeResult"}},
    "AssociateIamInstanceProfile": {"name": "AssociateIamInstanceProfile",
      "input": {"shape": "AssociateRequest"}, "output": {"shape": "AssociateResult"}},
    "ReleaseHosts": {"name": "ReleaseHosts", "input": {"shape": "ReleaseRequest"}}
  },
  "shapes": {
    "DescribeRequest": {"type": "structure", "members": {
      "AssociationIds": {"shape": "IdList", "locationName": "AssociationId"},
      "Filters": {"shape": "FilterList", "locationName": "Filter"},
      "MaxResults": {"shape": "MaxResults"},
      "DryRun": {"shape": "Boolean", "locationName": "dryRun"},
      "NextToken": {"shape": "String", "locationName": "nextToken"},
      "ClientToken": {"shape": "String", "queryName": "Token", "locationName": "clientToken"}
    }},
    "DescribeResult": {"type": "structure", "members": {
      "IamInstanceProfileAssociations": {"shape": "AssociationSet", "locationName": "iamInstanceProfileAssociationSet"},
      "NextToken": {"shape": "String", "locationName": "nextToken"}
    }},
    "AssociateRequest": {"type": "structure", "required": ["IamInstanceProfile", "InstanceId"], "members": {
      "IamInstanceProfile": {"shape": "ProfileSpec"},
      "InstanceId": {"shape": "String"}
    }},
    "AssociateResult": {"type": "structure", "members": {
      "IamInstanceProfileAssociation": {"shape": "Association", "locationName": "iamInstanceProfileAssociation"}
    }},
    "ReleaseRequest": {"type": "structure", "members": {"HostIds": {"shape": "IdList", "locationName": "hostId"}}},
    "ProfileSpec": {"type": "structure", "members": {
      "Arn": {"shape": "String", "locationName": "arn"},
      "Name": {"shape": "String", "locationName": "name"}
    }},
    "Association": {"type": "structure", "members": {
      "AssociationId": {"shape": "String", "locationName": "associationId"},
      "InstanceId": {"shape": "String", "locationName": "instanceId"},
      "IamInstanceProfile": {"shape": "Profile", "locationName": "iamInstanceProfile"},
      "State": {"shape": "AssociationState", "locationName": "state"},
      "Timestamp": {"shape": "DateTime", "locationName": "timestamp"}
    }},
    "Profile": {"type": "structure", "members": {
      "Arn": {"shape": "String", "locationName": "arn"},
      "Id": {"shape": "String", "locationName": "id"}
    }},
    "AssociationSet": {"type": "list", "member": {"shape": "Association", "locationName": "item"}},
    "IdList": {"type": "list", "member": {"shape": "String", "locationName": "AssociationId"}},
    "FilterList": {"type": "list", "member": {"shape": "Filter", "locationName": "Filter"}},
    "Filter": {"type": "structure", "members": {
      "Name": {"shape": "String"},
      "Values": {"shape": "ValueList", "locationName": "Value"}
    }},
    "ValueList": {"type": "list", "member": {"shape": "String", "locationName": "item"}},
    "AssociationState": {"type": "string", "enum": ["associating", "associated", "disassociating", "disassociated"]},
    "MaxResults": {"type": "integer", "max": 1000, "min": 5},
    "Boolean": {"type": "boolean"},
    "String": {"type": "string"},
    "DateTime": {"type": "timestamp"}
  }
})json";

inline std::unique_ptr<ServiceModel> compileOrDie(std::string_view json) {
  auto model = ServiceModel::parse(json);
  if (!model) {
    ADD_FAILURE() << model.error().message;
    return nullptr;
  }
  return std::move(*model);
}

}  // namespace iamlocal::protocol::testing
