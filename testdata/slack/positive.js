// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-654645743653-6575887031229-gUcuzeKhLoOOL5RUgbtKgqR9');
const app = new App({
  token: 'xoxb-213716881293-3704322964873-71On082Dtl7zPUbKh4K3O6z9',
  appToken: 'xapp-1-AG9IGMRSUH4-2204910807281-0f9a423e6354e86f1b10c46c6a15fb6918f6bc1326ac06c22fdb073fa70955b2',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-855552707493-284445799475-3024720751775-24eac8be2e3a0c71f74d5d97b5fe0ef4';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-xgiGvbdYTWrvFdG8OWJ6qUfPsya0AgV0mRyBUUTwm6DiDtj0aFNW8uuTB96z2Q1LDppRQN8CgmQyg3Cf2eH1AN71ArzvdE5d2xrVP3A1L8wrXTqmaEuwh9ixMGguV9mynZ8fNdf5hglzhTlid9
const legacy = 'xoxa-2-231397708729-199847682524-7727610952250-a631da781eb0d6f301b2f4178b19beb2ea036f8e602563d7b59f981452647c52';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
