/*
 * messages-en.c: the English catalogue. Plain words for a reader who may be frightened or
 * distressed; the category definitions follow the usage of the NATO Policy on Women, Peace and
 * Security (2024) and the NATO policy on sexual exploitation and abuse it refers to.
 */
#include "messages.h"

const char *const messages_en[MESSAGE_COUNT] = {
    [M_LANG_CODE] = "en",
    [M_OTHER_LANG_CODE] = "fr",
    [M_OTHER_LANG_NAME] = "Français",
    [M_SITE_TITLE] = "Confidential reporting",
    [M_SKIP_LINK] = "Skip to the main content",
    [M_QUICK_EXIT] = "Leave this site quickly",
    [M_NAV_LABEL] = "Main",
    [M_NAV_REPORT] = "Make a report",
    [M_NAV_STATUS] = "Check a report",
    [M_PRIVACY_NOTE] = "This site uses no cookies, no JavaScript and no tracking. It does not record "
                       "your IP address, your browser or the time you write. Everything you send is "
                       "encrypted before it is stored, and only the caseworkers can read it.",
    [M_FORM_TITLE] = "Report harassment, exploitation or abuse",
    [M_FORM_INTRO] = "You do not have to give your name. Tell us what happened in your own words; "
                     "you can stop at any time, and you can add more later with the receipt you "
                     "get at the end.",
    [M_REQUIRED] = "(required)",
    [M_OPTIONAL] = "(optional)",
    [M_CATEGORY_LEGEND] = "What are you reporting?",
    [M_CAT_HARASSMENT] = "Harassment",
    [M_CAT_HARASSMENT_HINT] = "Unwelcome words or behaviour that offend, humiliate or intimidate "
                              "someone, such as threats, insults or repeated unwanted contact.",
    [M_CAT_SEXUAL_HARASSMENT] = "Sexual harassment",
    [M_CAT_SEXUAL_HARASSMENT_HINT] = "Unwelcome behaviour of a sexual nature: comments, jokes, "
                                     "messages, images, touching, or requests for sexual favours.",
    [M_CAT_BULLYING] = "Bullying",
    [M_CAT_BULLYING_HINT] = "Repeated behaviour meant to hurt, isolate or undermine someone, "
                            "for example at work.",
    [M_CAT_DISCRIMINATION] = "Discrimination",
    [M_CAT_DISCRIMINATION_HINT] = "Being treated worse because of who you are: your sex, gender, "
                                  "origin, religion, disability, age or sexual orientation, for example.",
    [M_CAT_SEA] = "Sexual exploitation or abuse",
    [M_CAT_SEA_HINT] = "Someone using their power, position or another person's need (for food, "
                       "money, help, papers or a job) to obtain sex or sexual acts, or any sexual "
                       "act forced on someone or done under unequal or coercive conditions. Any "
                       "sexual activity with a child is abuse.",
    [M_CAT_OTHER] = "Something else",
    [M_CAT_OTHER_HINT] = "Behaviour that worries you and does not fit the choices above.",
    [M_DETAILS_LEGEND] = "What happened",
    [M_DESCRIPTION_LABEL] = "Describe what happened",
    [M_DESCRIPTION_HINT] = "Write as much or as little as you want. What you remember is enough.",
    [M_WHEN_LABEL] = "When did it happen?",
    [M_WHEN_HINT] = "A date, a period, or “it is still going on”.",
    [M_WHERE_LABEL] = "Where did it happen?",
    [M_WHERE_HINT] = "A place, a mission, a building or an online service.",
    [M_PEOPLE_LABEL] = "Who was involved?",
    [M_PEOPLE_HINT] = "Names, roles or descriptions of the people who did it.",
    [M_WITNESSES_LABEL] = "Did anyone see or hear it?",
    [M_WITNESSES_HINT] = "Names or descriptions of witnesses, if there were any.",
    [M_ABOUT_LEGEND] = "About you (voluntary)",
    [M_ABOUT_HINT] = "These two answers are used only to count reports in anonymous yearly "
                     "statistics, never to identify you. You can leave them as they are.",
    [M_SEX_LABEL] = "Sex",
    [M_SEX_NOT_GIVEN] = "Prefer not to say",
    [M_SEX_FEMALE] = "Female",
    [M_SEX_MALE] = "Male",
    [M_SEX_OTHER] = "Another answer",
    [M_AGE_LABEL] = "Age",
    [M_AGE_NOT_GIVEN] = "Prefer not to say",
    [M_AGE_UNDER_25] = "Under 25",
    [M_AGE_25_34] = "25 to 34",
    [M_AGE_35_44] = "35 to 44",
    [M_AGE_45_54] = "45 to 54",
    [M_AGE_55_PLUS] = "55 or over",
    [M_CONTACT_LEGEND] = "Contact",
    [M_CONTACT_LABEL] = "How can the caseworkers contact you?",
    [M_CONTACT_WARNING] = "<strong>Warning:</strong> if you give an email address, a phone number "
                          "or your name, your report is no longer anonymous to the caseworkers. "
                          "You can leave this empty and read their replies with your receipt instead.",
    [M_ATTACH_LABEL] = "Add files",
    [M_ATTACH_HINT] = "Photos, screenshots, recordings or documents: up to {1} files of at most "
                      "{2} MB each. Files can contain hidden details such as the place a photo "
                      "was taken.",
    [M_EXCLUDE_LEGEND] = "Leave a caseworker out",
    [M_EXCLUDE_HINT] = "If one of these people is involved, or you do not want them to see your "
                       "report, tick their name. They will not be able to read this report or "
                       "anything you add later. At least one must remain.",
    [M_SUBMIT_REPORT] = "Send the report",
    [M_ERROR_SUMMARY_TITLE] = "There is a problem",
    [M_ERROR_PREFIX] = "Error:",
    [M_ERR_CSRF] = "This form is too old or did not come from this site, so nothing was sent. "
                   "Your text is kept below: check it and send it again.",
    [M_ERR_CATEGORY] = "Choose what you are reporting.",
    [M_ERR_DESCRIPTION_EMPTY] = "Describe what happened.",
    [M_ERR_DESCRIPTION_LONG] = "The description is too long: shorten it to at most {1} KB "
                               "(about 10,000 words), and send the rest later with your receipt.",
    [M_ERR_FIELD_LONG] = "This answer is too long: shorten it to at most {1} KB.",
    [M_ERR_UTF8] = "This text contains characters that could not be read: retype them.",
    [M_ERR_CHOICE] = "Choose one of the answers offered.",
    [M_ERR_EXCLUDE_ALL] = "You cannot leave every caseworker out: untick at least one name.",
    [M_ERR_FILE_TOO_LARGE] = "A file is too large: each file can be at most {1} MB.",
    [M_ERR_FILE_TOO_MANY] = "Too many files: you can send at most {1}.",
    [M_ERR_FILES_NOT_KEPT] = "For your safety, files are not kept when the form has a problem: "
                             "choose them again before sending.",
    [M_ERR_BROKEN_FORM] = "The form arrived incomplete, perhaps because the connection broke. "
                          "Check your text below and send it again.",
    [M_ERR_BODY_TOO_LARGE] = "What you sent is larger than this site accepts ({1} MB in all), so "
                             "nothing was kept. Go back, choose fewer or smaller files, and send again.",
    [M_ERR_BUSY] = "The service is busy, so nothing was saved. Wait a minute, then send again: "
                   "your text is kept below.",
    [M_ERR_FULL] = "The service cannot save reports right now, so nothing was saved. Please try "
                   "again later: your text is kept below.",
    [M_ERR_RECEIPT_FORMAT] = "A receipt has 24 letters and digits, such as 7KQM-3XH9-… : check "
                             "what you typed.",
    [M_ERR_RECEIPT_UNKNOWN] = "No report has this receipt. Check each character and try again.",
    [M_ERR_MESSAGE_EMPTY] = "Write a message or choose a file to send.",
    [M_ERR_NO_RECIPIENT_LEFT] = "None of the caseworkers you chose can receive messages at the "
                                "moment, so nothing was sent. Please try again later.",
    [M_ERR_NOT_A_FORM] = "This address accepts only the forms of this site.",
    [M_RECEIPT_TITLE] = "Your report was received",
    [M_RECEIPT_INTRO] = "Your report is saved and only the caseworkers can read it.",
    [M_RECEIPT_LABEL] = "Your receipt",
    [M_CASE_LABEL] = "Case reference",
    [M_CASE_HINT] = "The case reference is not secret: you can quote it if you contact the "
                    "caseworkers another way.",
    [M_RECEIPT_KEEP] = "<strong>Write the receipt down or keep it somewhere safe now.</strong> It is "
                       "the only way to read replies and add information. It cannot be recovered "
                       "if you lose it, because we do not know who you are. Do not share it: "
                       "anyone who has it can read the replies.",
    [M_RECEIPT_NEXT] = "To read replies or add information, come back to “Check a report” and "
                       "type your receipt.",
    [M_RECEIPT_FIRST_TITLE] = "Your receipt: write it down now",
    [M_RECEIPT_FIRST_BODY] = "This receipt will belong to your report when you send it. <strong>Write "
                             "it down now</strong>, or keep it where only you can see it: it is the "
                             "only way to read replies and add information later, and nobody can "
                             "recover it for you. Do not leave it on a device other people use.",
    [M_RECEIPT_ALREADY_SENT] = "This report had already been sent, so nothing was sent twice. Your "
                               "receipt is below.",
    [M_ERR_FORM_RECEIPT] = "The receipt on this form was damaged, so nothing was sent. A new receipt "
                           "is shown at the top: write it down, then send the form again.",
    [M_SAFETY_TITLE] = "Staying safe",
    [M_SAFETY_ADVICE] = "If you can, use a phone or computer and a network that are your own, not "
                        "your employer's. A private window keeps no history of this site; Tor "
                        "Browser also hides where you are. The red button at the top of every page "
                        "leaves this site at once, and this site's pages are not kept by your "
                        "browser, so Back does not bring back what you typed.",
    [M_MONTHS] = "January|February|March|April|May|June|July|August|September|October|November|December",
    [M_ST_HANDLED] = "Read by a caseworker, being handled",
    [M_ST_ERASED] = "Closed and erased",
    [M_ERASED_BODY] = "Your receipt is right. The caseworkers closed this case, and it was then "
                      "erased, as the retention policy requires: nothing of it is kept, so there is "
                      "nothing more to show. If something new happens, you can make a new report.",
    [M_CLOSED_NOTE] = "The caseworkers have closed this case. You can still add information below: "
                      "they will read it.",
    [M_CLOSING_MESSAGE] = "Their last message to you:",
    [M_FOLLOWUP_ALREADY] = "This message had already been sent, so nothing was sent twice.",
    [M_PROFILE_WHO] = "Who reads your report",
    [M_PROFILE_NEXT] = "What happens next",
    [M_PROFILE_CONTACT] = "Other ways to reach the caseworkers",
    [M_PROFILE_SUPPORT] = "Support, and help in an emergency",
    [M_PROFILE_RETENTION] = "How long it is kept:",
    [M_SENT_TITLE] = "What you sent",
    [M_SENT_NOTE] = "This list shows what arrived, not what it said: only the caseworkers can read "
                    "your report and messages. Anyone who has your receipt can see this list too.",
    [M_SENT_REPORT] = "Your report",
    [M_SENT_FOLLOWUP] = "More information",
    [M_SENT_TEXT] = "of text",
    [M_SENT_NO_TEXT] = "no text",
    [M_SENT_FILES] = "files:",
    [M_SENT_OLDER] = "Older messages are not listed.",
    [M_SENT_NONE] = "No list is kept of what was sent before this service kept one.",
    [M_SENT_MORE_FILES] = "and {1} more files",
    [M_SIZE_UNITS] = "bytes|KB|MB|GB",
    [M_STATUS_TITLE] = "Check a report",
    [M_STATUS_INTRO] = "Type the receipt you were given when you made your report.",
    [M_RECEIPT_INPUT_LABEL] = "Receipt",
    [M_RECEIPT_INPUT_HINT] = "24 letters and digits. Capitals, spaces and dashes do not matter.",
    [M_SUBMIT_STATUS] = "Show my report",
    [M_STATUS_HEADING] = "Your report",
    [M_STATUS_LABEL] = "Status",
    [M_RECEIVED_LABEL] = "Received on",
    [M_ST_NEW] = "Received, waiting to be read",
    [M_ST_TRIAGED] = "Read by a caseworker, being assigned",
    [M_ST_INVESTIGATING] = "Being looked into",
    [M_ST_REFERRED] = "Passed to another body that can act on it",
    [M_ST_CLOSED] = "Closed",
    [M_MESSAGES_HEADING] = "Messages from the caseworkers",
    [M_NO_MESSAGES] = "No message yet. Caseworkers reply within 7 days of a report.",
    [M_MESSAGE_FROM] = "Caseworker",
    [M_FOLLOWUP_HEADING] = "Add information",
    [M_FOLLOWUP_LABEL] = "Your message",
    [M_FOLLOWUP_HINT] = "Anything you remembered, or a question for the caseworkers.",
    [M_SUBMIT_FOLLOWUP] = "Send",
    [M_FOLLOWUP_SENT] = "Thank you: your message was saved for the caseworkers.",
    [M_UNREADABLE_MESSAGE] = "This message could not be read. Please tell the caseworkers.",
    [M_NOT_FOUND_TITLE] = "Page not found",
    [M_NOT_FOUND_BODY] = "There is no page at this address.",
    [M_METHOD_TITLE] = "This cannot be done here",
    [M_METHOD_BODY] = "This address does not accept that kind of request.",
    [M_BUSY_TITLE] = "The service is busy",
    [M_BUSY_BODY] = "Too many people are using the service right now. Nothing was saved. Please wait a minute and try again.",
    [M_BACK_TO_FORM] = "Go to the report form",
};
