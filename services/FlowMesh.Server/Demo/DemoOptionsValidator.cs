using Microsoft.Extensions.Options;

namespace FlowMesh.Server.Demo;

/// <summary>Refuses demo settings that cannot work, saying which setting to change.</summary>
internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    private const string Section = DemoOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        if (options.RecordsPerSecond is < 1 or > 1_000_000)
            failures.Add($"{Section}:RecordsPerSecond must be 1..1000000 (was {options.RecordsPerSecond}); the default is 2000.");
        if (options.Scale is < 1 or > 100)
            failures.Add($"{Section}:Scale must be 1..100 (was {options.Scale}); the default is 1.");
        if (options.BatchInterval < TimeSpan.FromMilliseconds(10) || options.BatchInterval > TimeSpan.FromSeconds(60))
            failures.Add($"{Section}:BatchInterval must be between 00:00:00.010 and 00:01:00 (was {options.BatchInterval}); the default is 00:00:00.250.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
