// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-291366108741-1551608753733-m3YZ9LtS4cLeDewj1XPYDkZy');
const app = new App({
  token: 'xoxb-120248813350-9268025403540-uA8PcWslx6n6cj5eGcbKO8ZJ',
  appToken: 'xapp-1-A5F8JWFMRM3-1465634674297-d345d37643f25943febb4d8cf7e3ff58cdec58ed5ef6a7ce45d63800bd74d49f',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-889598774170-208755187021-4225585730162-66d019784fab390511f3a6d90e050db8';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-dtDBigLkmkR6v2OkUL0ecErtpN9rVrE2gcEDMqZgnfazsUJyeiSluN2sg5VpdPzgEhgFdmMtMfAbEU68NuvDSb2SnMXad4kEMB0LvMlYiW8YT77d3Zu0JiHxPWe0QOtfnCBtfaNWdGu4PLHqDh
const legacy = 'xoxa-2-244203764794-524745225969-6207237797693-2b3bf3686d6af42f535efcf035add3f02496ce896fb0b07d53c84a8d77dddbe7';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
