## A/B results of scheduled posts (/posts <id>)
ab-title = 📊 <b>A/B results</b> — 👍 per view (a view: a member who was in the group when the variant was sent, as far as I know the members)
ab-variant = <b>{ $name }</b>: sent { $sends }×, 👍 { $votes } of { $views } views — <b>{ $rate }</b> (95% CI { $low }–{ $high })
    { $summary }
ab-variant-unsent = <b>{ $name }</b>: not sent yet
    { $summary }
ab-difference = { $b } − { $a }: { $diff } points ({ $confidence } CI { $low } to { $high })
ab-verdict-b-better = ✅ { $b } does better than { $a }.
ab-verdict-a-better = ✅ { $a } does better than { $b }.
ab-verdict-unclear-more = ⚖️ { $b } against { $a }: no clear difference yet — about { $more } more views needed (an estimate).
ab-verdict-unclear = ⚖️ { $b } against { $a }: no clear difference.
ab-verdict-not-enough = ⏳ { $b } against { $a }: not enough data yet (at least { $min } views of each and { $votes } 👍 in all).
ab-bonferroni = The differences' intervals are at { $confidence }: { $n } variants are compared with { $a }.
ab-unavailable = (The statistics could not be computed this time: counts only.)
