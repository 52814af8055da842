// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-573750188122-8689060436883-8KT6RqOvg1GtIORhOJYjOtSc');
const app = new App({
  token: 'xoxb-650693851368-7579619569873-bBJMeHw3Op642LqTY0QQj3v2',
  appToken: 'xapp-1-A9J8HTUQVS3-6795302966011-9b967f33bbf1d4dc281660c3a11eface000ebc79184830680e619636d4750720',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-798182257818-513474367954-1169191946925-340db6d9bfb15190daf5c26f0a03c2ab';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-NB8PUqvWEnrFuvgHfpd8MnI3M3bFJIaBf3Wp3vZBRTR1pCGki8jNj69ZxXUCuQuaWEPxyynG1EiA8spqgsSjG1BNgyUxwczeQWW274Yvk3uBmV8ldQKfVQ80G8VnkdRtvMbY1AZBYTom6cOaHP
const legacy = 'xoxa-2-640694646765-781140138968-2062406278954-3f1d8f55c38f5bb348a883e3bec06cbfcb101d087224b65cbb92101c6654d20d';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
