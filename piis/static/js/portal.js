/* The beneficiary portal: read the page aloud with the browser's own speech synthesis, in the page's language.
   No network, no library; the button says when the browser cannot speak. */
(function () {
    "use strict";

    function pickVoice(lang) {
        var voices = window.speechSynthesis.getVoices() || [];
        var exact = null, close = null;
        for (var i = 0; i < voices.length; i++) {
            var voiceLang = (voices[i].lang || "").toLowerCase();
            if (voiceLang === lang) { exact = exact || voices[i]; }
            if (voiceLang.split("-")[0] === lang.split("-")[0]) { close = close || voices[i]; }
        }
        return exact || close;
    }

    function textOf(source) {
        /* What a sighted reader sees: skip hidden parts, forms' hidden inputs and the icons. */
        var clone = source.cloneNode(true);
        var skip = clone.querySelectorAll("[hidden], [aria-hidden='true'], script, input[type=hidden], .visually-hidden");
        for (var i = 0; i < skip.length; i++) { skip[i].remove(); }
        return (clone.innerText || clone.textContent || "").replace(/\s+\n/g, "\n").trim();
    }

    function setUp(button) {
        var label = button.querySelector("[data-read-aloud-label]");
        var source = document.querySelector("[data-read-aloud-source]");
        if (!("speechSynthesis" in window) || !source) {
            button.disabled = true;
            button.title = button.getAttribute("data-unsupported");
            if (label) { label.textContent = button.getAttribute("data-unsupported"); }
            return;
        }
        function show(speaking) {
            button.setAttribute("aria-pressed", speaking ? "true" : "false");
            if (label) {
                label.textContent = button.getAttribute(speaking ? "data-label-stop" : "data-label-start");
            }
        }
        button.addEventListener("click", function () {
            var synth = window.speechSynthesis;
            if (synth.speaking || synth.pending) {
                synth.cancel();
                show(false);
                return;
            }
            var lang = (document.documentElement.getAttribute("lang") || "fr").toLowerCase();
            var utterance = new SpeechSynthesisUtterance(textOf(source));
            utterance.lang = lang;
            utterance.rate = 0.9;
            var voice = pickVoice(lang);
            if (voice) { utterance.voice = voice; }
            utterance.onend = function () { show(false); };
            utterance.onerror = function () { show(false); };
            show(true);
            synth.speak(utterance);
        });
        window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
    }

    document.addEventListener("DOMContentLoaded", function () {
        var buttons = document.querySelectorAll("[data-read-aloud]");
        for (var i = 0; i < buttons.length; i++) { setUp(buttons[i]); }
    });
})();
