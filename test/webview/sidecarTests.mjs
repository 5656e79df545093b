// Webview tests of the evidence beside the weights (AuditResult.sidecars) on a real audit: a suspect folder with the
// weights of A_vocab_ext, a tokenizer extending lm_A's at the same ids, a config.json and a model card naming another
// base model, audited by the core against lm_A and lm_B (each with a tokenizer and a config) and vit_R (neither).
// The Overview's Declared provenance and Tokenizer sections, the Provenance Tokenizer and Configuration cards, in
// English and Korean, light and dark; empty states; strings from the files rendered inert.
import { assert, assertEqual, text } from './helpers.mjs';

const HOSTILE = ['<img src=x onerror=window.__pwned=1>', '</script><script>window.__pwned=1</script>', '<svg onload=window.__pwned=1>'];

export function registerSidecarTests({ test, openView, fixtures, H, corpusDir, shot, noProblems }) {
  let loaded;
  /** The suspect folder, its checkpoint fixture and its audit (computed once, shared with the a11y tests). */
  const sidecars = () => (loaded ??= (async () => {
    const t0 = Date.now();
    const f = await H.sidecarJobs(corpusDir);
    fixtures.sidecars = await H.checkpointFixture(f.suspect);
    f.jobs.ms = Date.now() - t0;
    return f.jobs;
  })());
  const tab = (page, id) => page.click(`vscode-tab-header[data-tab="${id}"]`);
  /** Scrolls the tab panel (only it) so that the element is at its top. */
  const scrollTo = (page, sel) => page.$eval(sel, (e) => {
    const panel = e.closest('vscode-tab-panel');
    panel.scrollTop += e.getBoundingClientRect().top - panel.getBoundingClientRect().top - 8;
  });
  const rows = (page, sel) => page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
  const n = (x) => x.toLocaleString('en-US');

  test('sidecars: declared provenance and tokenizer (Overview), tokenizer lineage and configuration cards (Provenance), in English and Korean', async () => {
    const jobs = await sidecars();
    const s = jobs.audit.sidecars;
    const lmA = s.tokenizer.comparisons.find((c) => c.reference === 'lm_A');
    assert(lmA?.relation === 'derived' && lmA.reasons.includes('same-ids'), `the audit finds the tokenizer derived from lm_A: ${JSON.stringify(lmA)}`);
    const tok = s.tokenizer.suspect;
    for (const [theme, lang] of [['light', undefined], ['dark', undefined], ['dark', 'ko']]) {
      const ko = lang === 'ko';
      const v = await openView('sidecars', { theme, lang, viewport: { width: 1280, height: 1000 }, mock: { jobs, statsDone: true, auditDone: true } });
      const { page } = v;
      // Overview: the claims in a table, the disagreement as a warning with an icon, then the tokenizer's summary.
      await page.waitForSelector('#declared-title');
      const order = await page.$$eval('#overview > section > h2', (hs) => hs.map((x) => x.id));
      assert(order.indexOf('overview-audit-title') === order.indexOf('declared-title') - 1 && order.indexOf('tokenizer-title') === order.indexOf('declared-title') + 1,
        `Declared provenance and Tokenizer follow the audit verdicts: ${order}`);
      const claims = await rows(page, '.declared-section table.claims-table');
      for (const c of [['README.md', 'base_model', 'someone/else-7b'], ['README.md', 'license', 'apache-2.0'], ['config.json', 'model_type', 'llama']]) {
        assert(claims.some((r) => JSON.stringify(r) === JSON.stringify(c)), `claim ${c} listed: ${JSON.stringify(claims)}`);
      }
      const check = await page.$eval('.claim-check[data-kind="other-reference"]', (e) => ({ warning: e.classList.contains('warning'), icon: !!e.querySelector('.codicon-warning'), text: e.innerText.trim() }));
      assert(check.warning && check.icon, `the disagreement is a warning with an icon: ${JSON.stringify(check)}`);
      assertEqual(check.text, ko ? '선언과 불일치: README.md base_model에 선언된 기반 모델 someone/else-7b · 언어 모델 가중치의 일치 대상: lm_A'
        : 'claim disagrees: README.md base_model declares base model someone/else-7b; the language weights match lm_A', 'the claim check in words');
      const summary = await text(page, '#tokenizer-summary');
      for (const x of ['BPE', n(tok.vocabSize), n(tok.learned), n(tok.merges), 'tokenizer.json, tokenizer_config.json', '</s>', 'ByteLevel', `SHA-256 ${tok.chatTemplateSha256.slice(0, 12)}…`]) {
        assert(summary.includes(x), `tokenizer summary shows ${x}: ${summary}`);
      }
      assert(summary.includes(ko ? 'eos, ID 2,429' : 'eos, id 2,429'), `special tokens with role and id: ${summary}`);
      await page.evaluate(() => document.fonts.ready);
      await scrollTo(page, '#overview-audit-title');
      await page.mouse.move(0, 0);
      await shot(page, `overview-sidecars-${lang ?? 'en'}-${theme}`);

      // Provenance: the tokenizer card (derived against lm_A with its figures, no evidence against lm_B with the null).
      await tab(page, 'provenance');
      await page.waitForSelector('#tokenizer-card table.tokenizer-table');
      const card = await page.$eval('#tokenizer-card', (e) => e.innerText);
      const tr = await page.$$eval('#tokenizer-card tbody tr', (trs) => trs.map((r) => ({
        reference: r.querySelector('.reference-id')?.textContent, relation: r.querySelector('.tok-relation')?.getAttribute('data-relation'),
        icon: !!r.querySelector('.tok-relation .codicon'), text: r.innerText.replace(/\u00a0/g, ' '),
      })));
      assertEqual(tr.map((r) => [r.reference, r.relation, r.icon]), [['lm_A', 'derived', true], ['lm_B', 'no-evidence', true]], 'one row per reference compared, relation with icon');
      const a = tr[0].text;
      const figures = ko
        ? [`학습된 토큰 ${n(lmA.sharedTokens)}개 공유 (Jaccard ${lmA.jaccard.toFixed(2)})`, `같은 ID에 ${n(lmA.sameIdTokens)}개 (이웃 ID로 본 우연 기대치 ~${lmA.sameIdExpected.toFixed(1)})`, `처음 병합 ${n(lmA.mergePrefix)}개 동일`, '파생', '스케치로 추정']
        : [`${n(lmA.sharedTokens)} learned tokens shared (Jaccard ${lmA.jaccard.toFixed(2)})`, `${n(lmA.sameIdTokens)} at the same ids (neighbouring ids predict ~${lmA.sameIdExpected.toFixed(1)})`,
          `first ${n(lmA.mergePrefix)} merges the same`, `merge order ρ ${lmA.mergeRankCorrelation.toFixed(2)} over ${n(lmA.sharedMerges)} shared merges`, 'derived', 'learned tokens at the same ids', 'estimated from sketches'];
      for (const x of figures) assert(a.includes(x), `lm_A row shows ${x}: ${a}`);
      assert(tr[1].text.includes(ko ? '비슷한 텍스트로 독립적으로 학습한 토크나이저도' : 'Independent tokenizers trained on similar text share common tokens and their first merges.'), `the null in words: ${tr[1].text}`);
      assert(card.includes(ko ? '가중치 판정이 아닙니다' : 'The tokenizer is context, not a weight verdict'), `context, not a verdict: ${card}`);
      assert((await text(page, '#tokenizer-card .without-tokenizer')).includes('vit_R'), 'the reference without a tokenizer fingerprint is named');
      // Configuration: lm_A (most facts identical) first; identical rows marked with an icon and words.
      const head = await page.$eval('#config-card .card-head', (e) => e.innerText);
      assert(head.includes(ko ? '구조만 일치, 근거 아님' : 'layout only, not evidence'), `headed layout only: ${head}`);
      const cfg = await rows(page, '#config-card table.config-table');
      const row = (key) => cfg.find((r) => r[1] === key);
      assertEqual(await page.$$eval('#config-card table.config-table thead th', (e) => e.map((x) => x.textContent)),
        ko ? ['구성 요소', 'config.json 키', '검토 대상', 'lm_A', '일치 여부'] : ['Component', 'config.json key', 'Suspect', 'lm_A', 'Agreement'], 'config table headers');
      assertEqual(row('vocab_size'), [ko ? '언어 모델' : 'language', 'vocab_size', '2428', '1200', ko ? '다른 값' : 'different'], 'vocab_size differs');
      assertEqual(row('rope_theta'), [ko ? '언어 모델' : 'language', 'rope_theta', '500000', '500000', ko ? '같은 값' : 'same value'], 'rope_theta the same');
      assertEqual(await page.$$eval('#config-card tbody tr.row-same .config-same .codicon-check', (e) => e.length), s.config.comparisons[0].identical, 'identical rows marked with an icon');
      assert((await text(page, '#config-card .config-summary')).includes(ko ? '9개 중 8개 동일' : '8 of 9 architecture facts identical'), 'the summary line');
      if (!ko && theme === 'dark') {
        // Another reference, by keyboard: the dropdown opens, moves and chooses; focus stays on it.
        await page.focus('#config-reference');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelectorAll('#config-card table.config-table thead th')[3]?.textContent === 'lm_B');
        assertEqual((await rows(page, '#config-card table.config-table')).find((r) => r[1] === 'num_hidden_layers'), ['language', 'num_hidden_layers', '4', '6', 'different'], 'lm_B has 6 layers');
        assertEqual(await page.evaluate(() => document.activeElement?.id), 'config-reference', 'focus stays on the dropdown');
        await page.focus('#config-reference');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelectorAll('#config-card table.config-table thead th')[3]?.textContent === 'lm_A');
      }
      if (ko) {
        const all = await page.$eval('.sidecar-section', (e) => e.innerText);
        for (const en of ['Tokenizer', 'Configuration', 'Reference', 'learned tokens', 'estimated', 'layout only', 'Independent']) assert(!all.includes(en), `no English "${en}" left: ${all}`);
      }
      await page.evaluate(() => document.fonts.ready);
      await scrollTo(page, '#sidecars-title');
      await page.mouse.move(0, 0);
      await shot(page, `provenance-sidecars-${lang ?? 'en'}-${theme}`);
      await noProblems(page);
      await v.close();
    }
    return { note: `suspect folder, references and audit made in ${jobs.ms} ms` };
  });

  test('sidecars: empty states, an agreeing claim as information, unreadable files as warnings, strings from the files inert', async () => {
    const jobs = await sidecars();
    const audit = structuredClone(jobs.audit);
    const s = audit.sidecars;
    s.claims.declared = [{ file: 'README.md', field: 'base_model', kind: 'base-model', value: HOSTILE[0] }, { file: '__metadata__', field: HOSTILE[1], kind: 'license', value: 'ref\u202Egnp.exe' }];
    s.claims.checks = [{ kind: 'agrees', claim: s.claims.declared[0], component: 'language', reference: 'lm_A' }];
    s.claims.problems = ['adapter_config.json: not valid JSON (at byte 1)'];
    s.tokenizer = { suspect: null, problems: ['tokenizer.model: not a SentencePiece model (byte 2: a number runs past the end of its message)'], comparisons: [], withoutTokenizer: ['lm_A'] };
    s.config = { suspect: null, comparisons: [] };
    const v = await openView('sidecars', { theme: 'light', mock: { jobs: { ...jobs, audit }, auditDone: true } });
    const { page } = v;
    await page.waitForSelector('#declared-title');
    const agrees = await page.$eval('.claim-check[data-kind="agrees"]', (e) => ({ info: e.classList.contains('info'), warning: e.classList.contains('warning'), icon: !!e.querySelector('.codicon-info') }));
    assertEqual(agrees, { info: true, warning: false, icon: true }, 'an agreeing claim is plain information');
    const problems = await page.$$eval('#overview .sidecar-problem', (els) => els.map((e) => [!!e.querySelector('.codicon-warning'), e.innerText.trim()]));
    assertEqual(problems, [[true, 'adapter_config.json: not valid JSON (at byte 1)'], [true, 'tokenizer.model: not a SentencePiece model (byte 2: a number runs past the end of its message)']], 'unreadable sidecars as warnings');
    assertEqual(await text(page, '.tokenizer-section .tokenizer-empty'), 'The tokenizer files beside the checkpoint could not be read.', 'no tokenizer: why');
    await scrollTo(page, '#overview-audit-title');
    await page.mouse.move(0, 0);
    await shot(page, 'overview-sidecars-states-en-light');
    // The Overview is the visible tab: its text (innerText) holds the claims as typed.
    const body = await page.evaluate(() => document.body.innerText);
    for (const x of HOSTILE.slice(0, 2)) assert(body.includes(x), `shows ${JSON.stringify(x)} literally`);
    assert(body.includes('ref\\u202Egnp.exe'), 'bidi override shown as an escape');
    await tab(page, 'provenance');
    await page.waitForSelector('#config-card');
    assertEqual(await text(page, '#config-card .config-empty'), 'No config.json beside the checkpoint.', 'no config.json');
    const dom = await page.evaluate(() => ({ pwned: window.__pwned, imgs: document.querySelectorAll('img').length, scripts: document.querySelectorAll('script').length }));
    assertEqual(dom, { pwned: undefined, imgs: 0, scripts: 1 }, 'nothing injected');
    await noProblems(page);
    await v.close();
    // Nothing beside the checkpoint at all: the empty states say so.
    const none = structuredClone(jobs.audit);
    none.sidecars = { tokenizer: { suspect: null, problems: [], comparisons: [], withoutTokenizer: [] }, config: { suspect: none.sidecars.config.suspect, comparisons: [] }, claims: { declared: [], problems: [], checks: [] } };
    const w = await openView('sidecars', { theme: 'dark', lang: 'ko', mock: { jobs: { ...jobs, audit: none }, auditDone: true } });
    await w.page.waitForSelector('#declared-title');
    const empty = await w.page.evaluate(() => [document.querySelector('.claims-empty')?.textContent, document.querySelector('.tokenizer-section .tokenizer-empty')?.textContent]);
    assert(empty.every((x) => x && !/[A-Za-z]{4,}/.test(x.replace(/config\.json|adapter_config\.json|__metadata__/g, ''))), `Korean empty states: ${empty}`);
    await tab(w.page, 'provenance');
    await w.page.waitForSelector('#config-card .config-empty');
    await noProblems(w.page);
    await w.close();
    // An audit without sidecars (a result from before they existed): no section at all.
    const old = structuredClone(jobs.audit);
    delete old.sidecars;
    const o = await openView('sidecars', { theme: 'dark', mock: { jobs: { ...jobs, audit: old }, auditDone: true } });
    await o.page.waitForSelector('#overview-audit-title');
    assertEqual(await o.page.$$eval('#declared-title, #tokenizer-title, #sidecars-title', (e) => e.length), 0, 'no sidecar sections without sidecars');
    await noProblems(o.page);
    await o.close();
  });

  return { sidecars };
}
