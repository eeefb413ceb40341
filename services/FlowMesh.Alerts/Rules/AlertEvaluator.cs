using FlowMesh.Aggregation.Batching;

namespace FlowMesh.Alerts.Rules;

/// <summary>
/// Evaluates one flush after another with a rule set (<see cref="AlertRuleSet.Evaluate"/>), reusing
/// its per-rule group tables and group aggregates from one flush to the next instead of building
/// them anew: a busy flush has thousands of groups (every source for port-scan), and rebuilding them
/// cost about a fifth of the ingest server's allocations. Not thread-safe: one per flush loop.
/// </summary>
public sealed class AlertEvaluator
{
    private readonly AlertRuleSet _rules;
    private readonly Dictionary<AlertGroupKey, GroupAggregate>[] _groups;
    private readonly Stack<GroupAggregate>[] _spare; // per rule, so an aggregate keeps the kind of sets its rule needs
    private readonly List<RuleMatches> _matches = [];

    public AlertEvaluator(AlertRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        _groups = [.. rules.Rules.Select(_ => new Dictionary<AlertGroupKey, GroupAggregate>())];
        _spare = [.. rules.Rules.Select(_ => new Stack<GroupAggregate>())];
    }

    /// <summary>
    /// Each rule's matching rows of one flush, summed per group; rules that match nothing are left out.
    /// The result (its dictionaries and aggregates) is valid until the next call.
    /// </summary>
    public IReadOnlyList<RuleMatches> Evaluate(ReadOnlySpan<FlowRow> rows)
    {
        Recycle();
        for (var i = 0; i < _groups.Length; i++)
        {
            var rule = _rules.Rules[i];
            var groups = _groups[i];
            var spare = _spare[i];
            foreach (ref readonly var row in rows)
            {
                if (!rule.Matches(row)) continue;
                var group = rule.GroupOf(row);
                if (!groups.TryGetValue(group, out var aggregate))
                    groups[group] = aggregate = spare.TryPop(out var reused) ? reused : new GroupAggregate();
                aggregate.Add(row, rule.Aggregation);
            }
            if (groups.Count > 0) _matches.Add(new RuleMatches(rule, groups));
        }
        return _matches;
    }

    private void Recycle()
    {
        _matches.Clear();
        for (var i = 0; i < _groups.Length; i++)
        {
            foreach (var aggregate in _groups[i].Values)
            {
                aggregate.Reset();
                _spare[i].Push(aggregate);
            }
            _groups[i].Clear();
        }
    }
}
