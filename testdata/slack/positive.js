// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-763086014653-1552889710183-CCd7ffmQc80ZvNBogNeSrr8u');
const app = new App({
  token: 'xoxb-990434978724-3853829208130-HZQF4rZq0vIbUz8PwmV3O677',
  appToken: 'xapp-1-AJH7YH6PGG2-1848489163719-cb43866f5f3d257490d14e5078a31aa3cb33932dcd22841d7f76aa5c9d4e9071',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-907340983315-854984141811-1115146037451-b67245f5bb8bd27c48afc4ab2209053d';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-9VF9Gx4uflIPMogw2vh564QmqKPrgSMjHftMvGLteCou6c0sMdNBapQOLuQyldZ12E4gueLgkHIJFvRyaaRYbaTYG67kYmFieHvl88ZNypfT64CAhIiHtsWjPJBoEqXWTkZYPo2ca57dSNysPt
const legacy = 'xoxa-2-734650704407-319162086106-7472806063444-1c5db6e5cda4b489ec8891f0073f7e0ae3e2577b52d4290aefa7ebbda8577dd7';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
