// scan --events-bus: after the baseline has sorted new findings from triaged ones, one
// EventBridge event per new finding. A failure to publish is a warning and a count in the
// summary, never a change of the exit code (docs/alerts.md says why).
#include <filesystem>
#include <iostream>

#include "alerts/publish.hpp"
#include "cli/scan_options.hpp"

namespace keyhound::cli {

void publish_new_findings(const std::vector<Finding>& findings, ReportContext& context,
                          const std::string& bus, bool quiet) {
  context.events_bus = bus;
  // Where the event's path is relative to: the remote (or the repository's folder) for git
  // scans; for files, the current folder, which the walker's paths start from.
  std::string repository = context.repository_uri;
  if (repository.empty()) {
    std::error_code ec;
    std::filesystem::path base = is_git(context.scan_kind) ? std::filesystem::absolute(context.root, ec)
                                                           : std::filesystem::current_path(ec);
    base = base.lexically_normal();
    if (!base.has_filename() && base.has_parent_path() && base != base.root_path()) base = base.parent_path();
    repository = base.string();
  }
  std::vector<EventEntry> entries;
  for (const auto& finding : findings) {
    std::string status = baseline_status_of(finding, context);
    if (status.empty() || status == "new") entries.push_back(finding_event(finding, repository, bus));
  }
  if (entries.empty()) return;  // nothing to send: no credentials needed either
  auto warn_failed = [&](const std::string& why) {
    if (!quiet)
      std::cerr << "keyhound: warning: " << context.events_failed << " of " << entries.size()
                << " events not published to " << bus << ": " << why << "\n";
  };
  auto connection =
      connect_service(AwsOverrides{}, process_environment(), "AWS_ENDPOINT_URL_EVENTBRIDGE", "events");
  if (!connection) {
    context.events_failed = entries.size();
    warn_failed(connection.error().message);
    return;
  }
  AwsServiceClient aws(std::move(connection->settings), std::move(connection->endpoint), "events");
  EventBridgeClient events(aws);
  PublishResult result = publish_events(events, entries);
  context.events_published = result.published;
  context.events_failed = result.failed;
  if (result.failed) warn_failed(result.reason);
}

}  // namespace keyhound::cli
