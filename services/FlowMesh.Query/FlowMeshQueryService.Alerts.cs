using FlowMesh.Grains;
using Grpc.Core;
using V1 = FlowMesh.Contracts.V1;

namespace FlowMesh.Query;

internal sealed partial class FlowMeshQueryService
{
    /// <summary>How long one wait on the alert log lasts before the stream asks again (keeps grain calls far below their timeout).</summary>
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(10);

    public override async Task<V1.ListAlertRulesResponse> ListAlertRules(V1.ListAlertRulesRequest request, ServerCallContext context)
    {
        var statuses = await Task.WhenAll(alertRules.Rules.Select(r =>
            grains.GetGrain<IAlertRuleGrain>(GrainKeys.AlertRule(r.Name)).GetStatusAsync())).WaitAsync(context.CancellationToken);
        var response = new V1.ListAlertRulesResponse { Enabled = alertRules.Options.Enabled };
        for (var i = 0; i < statuses.Length; i++) response.Rules.Add(ProtoMapping.ToProto(alertRules.Rules[i], statuses[i]));
        return response;
    }

    public override async Task<V1.ListAlertsResponse> ListAlerts(V1.ListAlertsRequest request, ServerCallContext context)
    {
        if (request.Limit > 1000) throw new QueryValidationException($"limit: {request.Limit} is above the maximum of 1000");
        var limit = request.Limit == 0 ? 50 : (int)request.Limit;
        var log = await grains.GetGrain<IAlertLogGrain>(GrainKeys.AlertLog).GetAsync(limit).WaitAsync(context.CancellationToken);
        var response = new V1.ListAlertsResponse { LastSequence = (ulong)log.LastSequence };
        response.Active.AddRange(log.Active.Select(ProtoMapping.ToProto));
        response.Recent.AddRange(log.Recent.Select(ProtoMapping.ToProto));
        return response;
    }

    /// <summary>
    /// Active alarms, a caught-up marker, then each transition: a long poll on the alert log (it
    /// answers as soon as a transition is recorded), so a transition reaches the stream within the
    /// time of one grain call after the period that caused it closes.
    /// </summary>
    public override async Task StreamAlerts(V1.StreamAlertsRequest request, IServerStreamWriter<V1.AlertUpdate> responseStream, ServerCallContext context)
    {
        var log = grains.GetGrain<IAlertLogGrain>(GrainKeys.AlertLog);
        // A stopping server ends the stream (as it does the top-contributors streams) instead of
        // holding shutdown until the client goes away.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        var cancel = stopping.Token;
        var after = (long)request.AfterSequence;
        if (after == 0)
        {
            var snapshot = await log.GetAsync(0).WaitAsync(cancel);
            foreach (var active in snapshot.Active)
                await responseStream.WriteAsync(new V1.AlertUpdate { Kind = V1.AlertUpdate.Types.Kind.Active, Event = ProtoMapping.ToProto(active) }, cancel);
            after = snapshot.LastSequence;
        }
        await responseStream.WriteAsync(new V1.AlertUpdate { Kind = V1.AlertUpdate.Types.Kind.CaughtUp }, cancel);
        while (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            AlertEvent[] events;
            try
            {
                events = await log.WaitForEventsAsync(after, AlertWait).WaitAsync(cancel);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }
            foreach (var e in events)
            {
                await responseStream.WriteAsync(new V1.AlertUpdate { Kind = V1.AlertUpdate.Types.Kind.Transition, Event = ProtoMapping.ToProto(e) }, cancel);
                after = e.Sequence;
            }
        }
    }
}
