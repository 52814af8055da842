// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-992610824027-9577390925865-BGjFDX1NCTN2jxpBSw9ufHwT');
const app = new App({
  token: 'xoxb-760897642937-9291517527211-MhNTU1j5ERF515uoT2ZDQMpU',
  appToken: 'xapp-1-AH756VJKCUG-6271631865799-5049248646aaeff307b6bc452a8aa92d03ee3bd6b6aaf19c2834b090fced138f',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-299112533526-494467066303-6437871101038-8b2940d44bfbeeb3bb6e5eb0d3066a6e';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-QacKcnkJyGRgTEebHBjP3Aa2IFTJyyZe1YVJ1atY8cRcU9bH4KiXa3GhZbV0YfFVlQhsW0kZoa1RAJTkwkm7OjrcDKHMpVAU5HACPGZly8Dit9ueVtl82bSZZ4ad1D5NqIZTeKUbxxxsKzKe3I
const legacy = 'xoxa-2-988704030091-969092550677-7865215036119-dccc28eaec14f37f636dd5acbd6bc88aa1a5695f84f36781c3a746cfb72f96f5';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
