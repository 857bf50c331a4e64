/*
 * stylesheet.c: the intake's only stylesheet, served at /style.css. Plain, high-contrast
 * (text 15:1, links and errors above 7:1 on white), a visible focus ring, one column that
 * reflows on a phone 320 px wide and at 400% zoom (no fieldset grows to a file input's width; a
 * receipt fits its line), a quick exit that stays on screen while the page scrolls, and
 * print-friendly.
 */
#include "pages.h"

static const char stylesheet[] =
    "*,*::before,*::after{box-sizing:border-box}\n"
    "html{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;"
    "font-size:100%;line-height:1.5;color:#1b1b1b;background:#fff}\n"
    "body{margin:0;padding:3.25rem 1rem 2rem}\n"
    "header,main,footer{max-width:42rem;margin:0 auto}\n"
    "header{padding:.75rem 0;border-bottom:2px solid #1b1b1b;margin-bottom:1.5rem}\n"
    ".site{font-weight:700;font-size:1.25rem;margin:.5rem 0}\n"
    "nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}\n"
    "a{color:#0b3d91;text-decoration-thickness:.1em;text-underline-offset:.15em}\n"
    "a:visited{color:#4c2c92}\n"
    "a:hover{color:#072a64}\n"
    ":focus-visible,:focus{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #1b1b1b}\n"
    ".skip{position:absolute;left:-999rem}\n"
    ".skip:focus{position:static;display:inline-block;padding:.5rem;background:#ffbf47;color:#1b1b1b}\n"
    ".quick-exit{position:fixed;top:.5rem;right:.5rem;z-index:10;display:inline-block;padding:.5rem .75rem;"
    "background:#8a1c1c;color:#fff;font-weight:700;text-decoration:none;border-radius:.25rem;"
    "box-shadow:0 0 0 2px #fff}\n"
    ".quick-exit:visited,.quick-exit:hover{color:#fff;background:#6b1515}\n"
    "h1{font-size:1.75rem;line-height:1.2;margin:1rem 0}\n"
    "h2{font-size:1.3rem;margin:1.5rem 0 .5rem}\n"
    "fieldset{border:0;padding:0;margin:0 0 1.5rem;min-width:0}\n"
    "legend{font-weight:700;font-size:1.15rem;padding:0;margin-bottom:.5rem}\n"
    ".field{margin-bottom:1.25rem}\n"
    "label{display:block;font-weight:700;margin-bottom:.25rem}\n"
    ".choice{display:grid;grid-template-columns:1.5rem 1fr;column-gap:.5rem;margin-bottom:.75rem}\n"
    ".choice input{width:1.25rem;height:1.25rem;margin:.15rem 0 0}\n"
    ".choice label{grid-column:2;margin:0}\n"
    ".choice .hint{grid-column:2;margin:0}\n"
    ".tag{font-weight:400;color:#454545}\n"
    ".hint{color:#454545;margin:.1rem 0 .4rem}\n"
    "input[type=text],textarea,select{display:block;width:100%;font:inherit;padding:.4rem;"
    "border:2px solid #1b1b1b;border-radius:0;background:#fff;color:#1b1b1b}\n"
    "textarea{resize:vertical}\n"
    "input[type=file]{font:inherit;max-width:100%;width:100%}\n"
    "button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border:0;border-radius:.25rem;"
    "background:#00703c;color:#fff;cursor:pointer}\n"
    "button:hover{background:#005a30}\n"
    ".has-error{border-left:5px solid #b00020;padding-left:.75rem}\n"
    ".error-message{color:#b00020;font-weight:700;margin:.25rem 0}\n"
    ".error-summary{border:4px solid #b00020;padding:1rem;margin-bottom:1.5rem}\n"
    ".error-summary h2{margin-top:0}\n"
    ".error-summary a{color:#b00020;font-weight:700}\n"
    ".panel{border:4px solid #00703c;padding:1rem;margin-bottom:1.5rem}\n"
    ".warning{border-left:5px solid #1b1b1b;padding-left:.75rem}\n"
    ".code{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:min(1.3rem,4.6vw);"
    "letter-spacing:.03em;overflow-wrap:anywhere}\n"
    "input.code{font-size:min(1.15rem,4.2vw);letter-spacing:0;padding:.4rem .25rem}\n"
    ".receipt-first{border-color:#1b1b1b}\n"
    ".nav-form{display:inline;margin:0}\n"
    "button.link{background:none;color:#0b3d91;font-weight:400;padding:0;text-decoration:underline;"
    "text-decoration-thickness:.1em;text-underline-offset:.15em;border-radius:0}\n"
    "button.link:hover{background:none;color:#072a64}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}\n"
    "dt{font-weight:700}dd{margin:0}\n"
    ".messages{padding-left:1.25rem}\n"
    ".message{margin-bottom:1rem}\n"
    ".message .meta{color:#454545;margin:0}\n"
    ".message .text{white-space:pre-wrap;overflow-wrap:anywhere}\n"
    ".visually-hidden{position:absolute!important;width:1px;height:1px;margin:0;padding:0;"
    "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\n"
    "footer{margin-top:2rem;padding-top:1rem;border-top:1px solid #767676;color:#454545;font-size:.95rem}\n"
    "@media (max-width:30rem){body{padding:3.5rem .5rem 2rem}"
    ".quick-exit{left:.5rem;right:.5rem;text-align:center}}\n"
    "@media print{.quick-exit,nav,.skip{display:none}}\n";

const char *page_stylesheet(void)
{
    return stylesheet;
}
