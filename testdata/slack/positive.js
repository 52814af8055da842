// notifier.js: posts deploy results to Slack
const { WebClient } = require('@slack/web-api');
const { App } = require('@slack/bolt');

const web = new WebClient('xoxb-937301873229-5706892100285-uKyoLhaNfIZXGyAslarJZ9S8');
const app = new App({
  token: 'xoxb-261468141614-2919167162100-YUFGqMbsZb5JwAErfupy9pWn',
  appToken: 'xapp-1-AAHGN9TW5EP-8898220057848-f011f6c52f270b50f3cbdf6a15f5a8955b74ff4217566e87f1aa7b3f3344fa5b',
  socketMode: true,
});
const adminToken = process.env.SLACK_ADMIN_TOKEN || 'xoxp-836755305708-898600460479-8988963270885-97821bff3954f14fec4d863d20c6f26d';
const WEBHOOK = 'https://hooks.slack.com/services/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';
const WORKFLOW = "https://hooks.slack.com/triggers/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";
// manifest API: xoxe.xoxp-1-9wWHGBMk0r9Pwr8DB0CjyISvVroJ92bUxXPaZ9aLXnSURLNVVVIz205bNwzM6c5aRVr1P2c8jHeIqdyFJ8DzuU9pCfFwneNDmJNOkKVOTz1V9pnwoNJ9q8ESUvNxJSQFXUasLPeQS3NXPVWEl4
const legacy = 'xoxa-2-817411205180-375412315530-3059629576822-47485e8e1fc7fd517e70683a3680d6aa29e374bbfaa40401b6820741089c5098';

async function notify(text) {
  await fetch(WEBHOOK, { method: "POST", body: JSON.stringify({ text }) });
}
module.exports = { notify };
