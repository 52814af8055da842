// Configure through the environment; see README.
const web = new WebClient(process.env.SLACK_BOT_TOKEN);
const token = 'xoxb-your-bot-token';
const hook = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
// Bot tokens look like xoxb-<workspace>-<bot>-<secret>
const appToken = 'xapp-1-...';
if (!token.startsWith('xoxb-') && !token.startsWith('xoxp-')) throw new Error('bad token');
