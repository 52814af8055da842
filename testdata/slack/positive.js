// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-126631725038-3136381477122-nQAaJSmD9fAxbVmBi9GWBftE');
const app = new App({
  token: 'xoxb-648826748115-2773784329865-ewqDWGh7vVkaP9axyzgcXqau',
  appToken: 'xapp-1-ARCAPPK0KU4-9679062339431-91cd91bceee9ed267237ecef95836d84dee4f56824d373c36c7b5d19910a8003',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-431266356113-989085307023-4643722843666-b5a2b61ecafcde3898f924f13ed5729e';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-tQwWtLcypaT1aXkDTcMuwv5EtIspvmMXd16oxO7OM0nn3NJVXtcxczUeS5jW6MxUSazg21dj6UmhTlNrAdMfwh1XnCVh3TBwfcTmnwW0rqAwAmKF33SrGVJhP0q6tWoavUDhgOddqvJYp4rOTN
const legacy = 'xoxa-2-864141726471-877326215230-1596508434357-b748ccd1169221369644c98f5a8c3c5312a1024d3d61d7d2ecd59599f13bc168';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
