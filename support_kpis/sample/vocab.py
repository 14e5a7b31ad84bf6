"""Names, categories and canned texts the generator draws from.

Some texts hold commas, double quotes and line breaks on purpose: loaders must handle
RFC 4180 quoting, and sample data that never needs it would not prove they do.
"""

from __future__ import annotations

CHANNEL_SHARES = {
    "email": 0.38,
    "chat": 0.20,
    "phone": 0.10,
    "web": 0.17,
    "social": 0.04,
    "messaging": 0.08,
    "other": 0.03,
}
# None = field left empty (the contract's null).
PRIORITY_SHARES = {"low": 0.15, "normal": 0.48, "high": 0.20, "urgent": 0.05, None: 0.12}
CATEGORY_SHARES = {
    "billing": 0.22,
    "bug": 0.20,
    "how-to": 0.27,
    "account": 0.16,
    "feature_request": 0.08,
    None: 0.07,
}
PRODUCT_SHARES = {
    "core": 0.40,
    "payments": 0.18,
    "analytics": 0.15,
    "mobile_app": 0.15,
    "integrations": 0.08,
    None: 0.04,
}
TEAMS = ("billing", "technical", "general")
# Which team first gets a ticket of each category (None = uncategorized).
CATEGORY_TEAM = {
    "billing": "billing",
    "bug": "technical",
    "how-to": "general",
    "account": "general",
    "feature_request": "technical",
    None: "general",
}

SEGMENT_SHARES = {"smb": 0.70, "mid_market": 0.22, "enterprise": 0.08}
REGION_SHARES = {"emea": 0.45, "americas": 0.40, "apac": 0.15}
# Hours to add to UTC for a typical local clock in the region.
REGION_UTC_OFFSET = {"emea": 1, "americas": -5, "apac": 8}
COUNTRIES = {
    "emea": ("DE", "GB", "FR", "NL", "ES", "SE", "PL", "IT", "ZA", "AE"),
    "americas": ("US", "US", "US", "CA", "BR", "MX", "AR"),
    "apac": ("AU", "JP", "SG", "IN", "NZ", "KR"),
}
PLANS = {
    "smb": ("starter", "starter", "growth"),
    "mid_market": ("growth", "business", "business"),
    "enterprise": ("enterprise",),
}
SCHEDULES = ("emea", "americas", "apac", "always_on")

REVIEW_SOURCES = ("g2", "trustpilot", "capterra", "app_store", "google_play")

FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloe",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Julia",
    "Kenji",
    "Lena",
    "Mateo",
    "Nora",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amelie",
    "Bruno",
    "Carmen",
    "Diego",
)
LAST_NAMES = (
    "Kowalski",
    "Müller",
    "Okafor",
    "Tanaka",
    "Silva",
    "Novak",
    "Haddad",
    "Larsen",
    "Rossi",
    "Nguyen",
    "O'Brien",
    "García",
    "Schmidt",
    "Patel",
    "Dubois",
    "Johansson",
    "Kim",
    "Moreau",
    "Costa",
    "Fischer",
    "Ivanova",
    "Hughes",
    "Rahman",
    "Ortiz",
    "Berg",
)

SUBJECTS = {
    "billing": (
        "Charged twice this month",
        "Invoice shows the wrong VAT number",
        "Refund request, order cancelled",
        'Card declined: "insufficient funds" but balance is fine',
        "Need a copy of last year's invoices",
        "Upgrade price differs from the pricing page",
    ),
    "bug": (
        "Export to CSV fails with error 500",
        'Dashboard stuck on "Loading..."',
        "App crashes when uploading a photo",
        "Sync between mobile and web lost my changes",
        "Webhook retries flood our endpoint",
        "Search returns no results, even for exact names",
    ),
    "how-to": (
        "How do I add a new user?",
        "Where can I change my notification settings?",
        "How to connect the Slack integration",
        "Setting up SSO, step by step?",
        "Can I schedule reports to go out weekly?",
        "How do I export my data",
    ),
    "account": (
        "Cannot log in after password reset",
        "Please change the account owner",
        "Two-factor codes not arriving",
        "Close my account and delete my data",
        "Locked out: too many attempts",
    ),
    "feature_request": (
        "Please add dark mode",
        "Feature idea: bulk edit, filters and saved views",
        "API endpoint for audit logs?",
        "Support for multiple currencies",
    ),
    None: (
        "Question",
        "Help needed",
        "Re: your last message",
        "(no subject)",
    ),
}

CUSTOMER_MESSAGES = (
    "Hi, I have a problem and need help.",
    "Hello,\nthis started yesterday afternoon. Can you check?",
    "Thanks, but it still does not work.",
    "I tried that, same result.",
    'The error says "something went wrong", nothing else.',
    "Any update on this?",
    "It works now, thank you!",
    "Attached a screenshot, see the red banner at the top.",
    "We are blocked, please escalate.",
    "Sorry, one more question: does this also apply to our second workspace?",
)
AGENT_REPLIES = (
    "Thanks for reaching out! I'm looking into this now.",
    "Could you send us a screenshot and the time it happened?",
    "Hi,\n\nI've fixed the setting on our side. Could you try again?\n\nBest regards",
    "This is a known issue; our engineers are on it. I'll update you, promise.",
    "Here is the article that walks through it: Settings > Users > Invite.",
    'Please clear the cache and choose "Reload", then let me know.',
    "The refund was issued today and will show in 3-5 business days.",
    "Glad to hear it works. I'll close this ticket, reply any time to reopen it.",
)
OUTBOUND_MESSAGES = (
    "Hello, we noticed failed payments on your account. Can we help?",
    "Hi! Your renewal is coming up next month, shall we review your plan?",
    "We saw several errors in your integration logs, could you check your API key?",
)
INTERNAL_NOTES = (
    "Checked logs, nothing obvious.",
    "Customer is on the legacy plan, careful with pricing.",
    "Reproduced on staging. Ticket for engineering filed.",
    "Handing over: see thread above, customer prefers email.",
    "Waiting for billing to confirm the refund.",
)
HANDOVER_NOTES = (
    "Escalating: needs tier-2 access to the account.",
    "Escalating to engineering, steps to reproduce below:\n1. open export\n2. choose CSV",
    "Escalating, customer is enterprise and blocked.",
)
BOT_MESSAGES = (
    "Hi! I'm the virtual assistant. These articles might help:",
    "Thanks! An agent will be with you shortly.",
    "Did this answer your question? Reply yes or no.",
)

CSAT_COMMENTS_GOOD = (
    "Fast and friendly, thanks!",
    "Solved in minutes.",
    'Great help from the agent, "above and beyond".',
    "Clear answer, thank you",
)
CSAT_COMMENTS_BAD = (
    "Took far too long.",
    "Had to explain the same thing three times.",
    "Still not fixed, honestly.",
    "The answer did not match my question, and nobody followed up.",
)
NPS_COMMENTS = (
    "Love the product.",
    "Good value, but the mobile app needs work.",
    "Support is great; pricing, not so much.",
    "Too expensive for what we use.",
)

KB_TITLE_TEMPLATES = (
    "How to {action}",
    "Troubleshooting: cannot {action}",
    "Can I {action}?",
    "Step by step: {action}, with screenshots",
)
KB_ACTIONS = (
    "reset your password",
    "invite users",
    "export invoices",
    "connect the Slack integration",
    "set up SSO",
    "schedule reports",
    "change notification settings",
    "configure webhooks",
    "update a payment method",
    "install the mobile app",
    "rotate API keys",
    "add a workspace",
    "change the account owner",
    "enable two-factor authentication",
    "download receipts",
    "import contacts from a CSV file",
)
KB_CATEGORIES = ("billing", "bug", "how-to", "account", "feature_request")
