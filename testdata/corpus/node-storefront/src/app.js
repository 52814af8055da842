// Express entry point for the storefront API.
'use strict';

const express = require('express');
const mongoose = require('mongoose');
const twilio = require('twilio');
const { WebClient } = require('@slack/web-api');
const mailgun = require('mailgun-js');
const jwt = require('jsonwebtoken');
const crypto = require('crypto');

const app = express();
const PORT = process.env.PORT || 3000;

// TODO: move to the secret store before launch
mongoose.connect('mongodb+srv://storefront:YiSZZDjta5NK7w6MmW@cluster0.x7k2p.mongodb.net/store?retryWrites=true&w=majority');

const smsClient = twilio('AC8b0f36fb19b4af731c28912be488f139', '8aec26f6390bde5eb979595094f54cfc');
const twilioApiKey = 'SKd3f3f9d4ad1569a8908c027029893651';

const slack = new WebClient('xoxb-026192697972-4942739041157-68HYmfo9W1EzX5I9kHuRW76D');
const ALERT_WEBHOOK = 'https://hooks.slack.com/services/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';

const mg = mailgun({ apiKey: 'key-f3eeab9ed8281dbc0d0e7a7eb4c206ad', domain: 'mg.shop.example.com' });

const JWT_SECRET = process.env.JWT_SECRET;
const sessionSecret = process.env.SESSION_SECRET || 'change-me';

// cache_key and primary_key are field names, not credentials
const cacheKey = crypto.createHash('sha256').update('cart:' + Date.now()).digest('hex');
const primary_key = 'order_id';
const ORDER_ID = '3c321ae4-dda1-453e-b0b1-05d0093090e6';

app.get('/health', (req, res) => res.json({ ok: true, commit: 'c2f7bec51b7b574559177cd2ad33f5ac9f051584' }));

app.post('/webhooks/github', (req, res) => {
  const octokitToken = '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';
  res.sendStatus(204);
});

app.get('/checkout', (req, res) => {
  res.send(`<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js"
    integrity="sha384-LRWdYN7cQBz80q0p+QfjQjVJdZnqctaA3cNDLzMTMPRu/yAvxdHQe+AcNHWMRjnB" crossorigin="anonymous"></script>`);
});

function signSession(user) {
  return jwt.sign({ sub: user.id }, JWT_SECRET, { expiresIn: '1h' });
}

app.listen(PORT, () => console.log(`storefront listening on ${PORT}`));
