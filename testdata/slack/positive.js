// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-519422726315-9345925202944-oN27jk3DxGcVTN2xmPly0KZ2');
const app = new App({
  token: 'xoxb-761197054830-4622681459709-4Laz2768UwqT1QnuntFXFVBV',
  appToken: 'xapp-1-A7Y0FBL9P0I-1537211304368-775019a0dcd6c36d3d77aa38d29d81ea4c98e0a35dcec6cb259792fc1b4b6c0d',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-877489410840-649912738746-5935000536612-6bd04cb32a56ad35bc7a68ceb32171d1';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-kR6VWNvlGkhCJE6mZOePPVRV24P7v31GOUw2TYC1013EPZ7II39HVbdB4cE2WvAayunay3U0jieKGNJDgUmJr1GbAB8dY1fqCUd3BLyLMO2HG8HgqyenGoiI2KSuSgBQs0UHb5WP7UChRgMDEk
const legacy = 'xoxa-2-285380486956-199527025400-5686042480808-90bf0b9fcc9136bd9b8b940dc1a5d06367c139028c7fc6905adddb3f8d44c5f5';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
