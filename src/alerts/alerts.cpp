// The patterns are data shared by the CloudFormation template and the API calls, so both paths
// create the same rules.
#include "alerts/alerts.hpp"

#include <sstream>

namespace keyhound {

nlohmann::json guardduty_secretsmanager_pattern() {
  return {{"source", {"aws.guardduty"}},
          {"detail-type", {"GuardDuty Finding"}},
          {"detail",
           {{"service",
             {{"action", {{"awsApiCallAction", {{"serviceName", {"secretsmanager.amazonaws.com"}}}}}}}}}}};
}

nlohmann::json keyhound_findings_pattern() {
  return {{"source", {"keyhound"}}, {"detail-type", {"Secret Found"}}};
}

bool pattern_matches(const nlohmann::json& pattern, const nlohmann::json& event) {
  for (const auto& [key, expected] : pattern.items()) {
    if (!event.is_object() || !event.contains(key)) return false;
    const auto& actual = event[key];
    if (expected.is_object()) {
      if (!pattern_matches(expected, actual)) return false;
    } else if (expected.is_array()) {
      bool any = false;
      for (const auto& value : expected) {
        if (actual.is_array()) {
          for (const auto& item : actual) any |= item == value;
        } else {
          any |= actual == value;
        }
      }
      if (!any) return false;
    } else {
      return false;  // EventBridge patterns hold arrays or objects at the leaves
    }
  }
  return true;
}

std::string cloudformation_template(const AlertsSetup& setup) {
  std::ostringstream out;
  // JSON is valid YAML flow style: the patterns go in as the same JSON the API calls send.
  out << "AWSTemplateFormatVersion: '2010-09-09'\n"
      << "Description: keyhound alerts - GuardDuty findings about Secrets Manager calls and keyhound's own "
         "findings, by e-mail through SNS\n"
      << "Resources:\n"
      << "  AlertsTopic:\n"
      << "    Type: AWS::SNS::Topic\n"
      << "    Properties:\n"
      << "      TopicName: " << setup.topic_name << "\n"
      << "  AlertsTopicPolicy:\n"
      << "    Type: AWS::SNS::TopicPolicy\n"
      << "    Properties:\n"
      << "      Topics: [!Ref AlertsTopic]\n"
      << "      PolicyDocument:\n"
      << "        Version: '2012-10-17'\n"
      << "        Statement:\n"
      << "          - Sid: AllowEventBridgePublish\n"
      << "            Effect: Allow\n"
      << "            Principal: {Service: events.amazonaws.com}\n"
      << "            Action: sns:Publish\n"
      << "            Resource: !Ref AlertsTopic\n"
      << "            Condition:\n"
      << "              ArnEquals:\n"
      << "                aws:SourceArn: [!GetAtt GuardDutySecretsManagerRule.Arn, !GetAtt "
         "KeyhoundFindingsRule.Arn]\n"
      << "  AlertsEmail:\n"
      << "    Type: AWS::SNS::Subscription\n"
      << "    Properties:\n"
      << "      TopicArn: !Ref AlertsTopic\n"
      << "      Protocol: email\n"
      << "      Endpoint: " << nlohmann::json(setup.email).dump() << "\n"
      << "  GuardDutySecretsManagerRule:\n"
      << "    Type: AWS::Events::Rule\n"
      << "    Properties:\n"
      << "      Name: " << setup.guardduty_rule << "\n"
      << "      Description: GuardDuty findings about Secrets Manager API calls (keyhound alerts)\n"
      << "      State: ENABLED\n"
      << "      EventPattern: " << guardduty_secretsmanager_pattern().dump() << "\n"
      << "      Targets:\n"
      << "        - Id: keyhound-alerts-topic\n"
      << "          Arn: !Ref AlertsTopic\n"
      << "  KeyhoundFindingsRule:\n"
      << "    Type: AWS::Events::Rule\n"
      << "    Properties:\n"
      << "      Name: " << setup.findings_rule << "\n"
      << "      Description: Secrets keyhound found (keyhound scan --events-bus)\n"
      << (setup.events_bus == "default"
              ? std::string()
              : "      EventBusName: " + nlohmann::json(setup.events_bus).dump() + "\n")
      << "      State: ENABLED\n"
      << "      EventPattern: " << keyhound_findings_pattern().dump() << "\n"
      << "      Targets:\n"
      << "        - Id: keyhound-alerts-topic\n"
      << "          Arn: !Ref AlertsTopic\n"
      << "Outputs:\n"
      << "  TopicArn:\n"
      << "    Value: !Ref AlertsTopic\n";
  return out.str();
}

std::string describe_plan(const AlertsSetup& setup) {
  std::ostringstream out;
  out << "would create or keep, in " << setup.region << ":\n"
      << "  sns:CreateTopic " << setup.topic_name << "\n"
      << "  events:PutRule " << setup.guardduty_rule << " " << guardduty_secretsmanager_pattern().dump()
      << "\n"
      << "  events:PutTargets " << setup.guardduty_rule << " -> " << setup.topic_name << "\n"
      << "  events:PutRule " << setup.findings_rule
      << (setup.events_bus == "default" ? "" : " (bus " + setup.events_bus + ")") << " "
      << keyhound_findings_pattern().dump() << "\n"
      << "  events:PutTargets " << setup.findings_rule << " -> " << setup.topic_name << "\n"
      << "  sns:SetTopicAttributes " << setup.topic_name
      << " Policy (events.amazonaws.com may sns:Publish, for the two rules only)\n"
      << "  sns:Subscribe " << setup.topic_name << " email " << setup.email << "\n"
      << "nothing was sent\n";
  return out.str();
}

}  // namespace keyhound
