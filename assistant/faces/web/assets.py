"""The page's own style and script: the sources panel, and what a click on an answer or on its ``[n]`` does."""

# On a phone the panel sits below the chat: a tap on an answer brings its sources into view.
SHOW_SOURCES_JS = ("(kept) => { if (innerWidth < 700) document.getElementById('sources').scrollIntoView(); "
                   "return kept; }")

# A click on "[n]" in an answer is not followed as a link: the click also selects the answer, which shows
# that answer's own sources in the panel; once the panel holds them (source n quotes a sentence of the
# clicked answer), source n is highlighted and brought into view.
CITATION_CLICK_JS = """
() => {
  const flat = text => (text || '').replace(/\\s+/g, ' ').trim();
  document.addEventListener('click', event => {
    const link = event.target.closest && event.target.closest('#chat a[href^="#source-"]');
    if (!link) return;
    event.preventDefault();
    const n = link.getAttribute('href').slice('#source-'.length);
    const bubble = flat(link.closest('.message-content, .message')?.innerText);
    const started = Date.now();
    const pick = () => {
      const source = document.querySelector(`#sources .source[data-n="${n}"]`);
      const quote = flat(source && source.querySelector('mark')?.innerText).slice(0, 60);
      const late = Date.now() - started > 2500;
      if (!source || (quote && !bubble.includes(quote) && !late)) {
        if (!late) setTimeout(pick, 100);
        return;
      }
      document.querySelectorAll('#sources .source.picked').forEach(s => s.classList.remove('picked'));
      source.classList.add('picked');
      source.scrollIntoView({block: 'center'});
    };
    setTimeout(pick, 50);
  }, true);
}
"""

CSS = """
.sources .source { border-left: 3px solid #6b8afd; padding: 4px 10px; margin: 8px 0; }
.sources .source.other { border-left-color: #bbb; }
.sources .source.picked { outline: 2px solid #6b8afd; background: rgba(107, 138, 253, 0.12); }
.sources .source-meta { font-size: 0.85em; opacity: 0.8; }
.sources blockquote { margin: 6px 0; white-space: pre-wrap; }
.sources mark { background: #fff3a3; color: #1a1a1a; padding: 0 2px; }  /* dark text: readable in dark mode too */
.dark .sources mark { background: #7a6a00; color: #fff; }
.sources .unverified { color: #b00; font-size: 0.8em; border: 1px solid #b00; border-radius: 3px; padding: 0 3px; }
#filters-on { font-size: 0.9em; }
#conversations { max-height: 18em; overflow-y: auto; }  /* a long list scrolls; the chat stays in reach */
"""
