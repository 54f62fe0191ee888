## Best time to post: ⭐ choices in /schedule, and a line for /stats
besttime-hour = { $start }–{ $end }
besttime-note = ⭐ Members are most active { $hours } ({ $tz }; from { $events } messages and actions in { $days } days): tap a ⭐ time to post then.
besttime-not-enough = ⭐ Best times to post show here once I have seen { $min_days } days and { $min_events } messages or actions (so far: { $days } days, { $events }).
besttime-no-peak = ⭐ Activity is spread over the day: no hour stands out ({ $events } messages and actions in { $days } days).
besttime-button-at = ⭐ { $time }
besttime-button-daily = ⭐ Daily { $time }
besttime-button-weekly = ⭐ { $day } { $time }
besttime-stats = 🕒 Members are most active { $hours }; the busiest hour of the week: { $day } { $slot } ({ $tz }; { $events } messages and actions in { $days } days).
