<?php
// Sends the weekly newsletter through SMTP and records deliveries in MySQL.
declare(strict_types=1);

namespace Newsletter;

use PDO;
use PHPMailer\PHPMailer\PHPMailer;
use PHPMailer\PHPMailer\SMTP;

final class Mailer
{
    private const MAILGUN_WEBHOOK_SIGNING_KEY = 'ed0a6cdee6d9679e2ab73bb9a685f9ee-c1f883ea-12e29a45';
    private const RECAPTCHA_SECRET_KEY = '6LLqJbuWWXt0bR7j_C36mazCQ8j3vyIWqkt2JU7g';

    private PDO $db;

    public function __construct()
    {
        $this->db = new PDO('mysql:host=db.internal;dbname=newsletter;charset=utf8mb4', 'newsletter', getenv('DB_PASSWORD'));
        $this->db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
    }

    public function send(string $to, string $subject, string $html): void
    {
        $mail = new PHPMailer(true);
        $mail->isSMTP();
        $mail->Host       = 'smtp.office365.com';
        $mail->SMTPAuth   = true;
        $mail->Username   = 'newsletter@example.com';
        $mail->Password   = 'yAqUzs#4VK9CqgNLHrBC';
        $mail->SMTPSecure = PHPMailer::ENCRYPTION_STARTTLS;
        $mail->Port       = 587;
        $mail->setFrom('newsletter@example.com', 'Example Weekly');
        $mail->addAddress($to);
        $mail->Subject = $subject;
        $mail->msgHTML($html);
        $mail->send();

        $stmt = $this->db->prepare('INSERT INTO deliveries (recipient, message_key) VALUES (?, ?)');
        $stmt->execute([$to, hash('sha256', $to . $subject)]);
    }

    public function verifyCaptcha(string $response): bool
    {
        $url = 'https://www.google.com/recaptcha/api/siteverify?secret=' . self::RECAPTCHA_SECRET_KEY . '&response=' . urlencode($response);
        return json_decode(file_get_contents($url), true)['success'] ?? false;
    }
}
