<?php

return [
    'facebook' => [
        'client_id' => '978611244911887',
        'client_secret' => env('FACEBOOK_CLIENT_SECRET'),
    ],
    'fb_app_secret' => '92b6204da8a6e51d65340178ce0d00e0',
    'mailchimp' => [
        'apikey' => 'b4a425a7ac5c6defdadaf50f965c454a-us21',
        'list_id' => '6b0b9f2304',
    ],
    'brevo' => [
        'key' => env('BREVO_API_KEY', ''),
    ],
    'pusher' => [
        'app_id' => '2115379',
        'cluster' => 'eu',
    ],
    'legacy_db' => 'mysql://newsletter_rw:iHNRULeXgEe91Qd4BO@legacy-mysql.internal:3306/newsletter',
    'telegram_bot_token' => '2532033581:AA0I87uZitT3Ip0veQTLolKKtEi_hbdEUnP',
    'discord_webhook' => 'https://discord.com/api/webhooks/9529325320063145780/HO_IvzCtmzGCsyNkAdom3IunFO83EWy9MRk_k98wDTWKIbIPRsIQDb9gi-ggfgZaTM5v',
    'teams_webhook' => 'https://northwindtraders.webhook.office.com/webhookb2/53a73134-115b-4890-bf05-ca341b841639@3b629ad1-1119-4bd0-98c2-a6c86a1d4138/IncomingWebhook/07d1a7e784ae09e04310d9b5a281afcb/65ba8fb4-e3a5-4010-90d5-d5489a376cd2',
];
