using System.Text;
using FlowMesh.FlowLogs;
using Microsoft.Extensions.Options;

namespace FlowMesh.Ingest.Firehose;

/// <summary>Refuses to start the ingest role with settings that would make the endpoint unsafe or unusable.</summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    private const string Section = IngestOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        var keys = options.ConfiguredAccessKeys().ToList();
        if (keys.Count == 0 && !options.AllowInsecureNoAccessKey)
        {
            failures.Add(
                $"No Firehose access key is configured. Set {Section}:AccessKey to the key of the delivery stream " +
                "(environment FlowMesh__Ingest__AccessKey, or --FlowMesh:Ingest:AccessKey=<key>); " +
                $"for local development only, start with --insecure-no-access-key ({Section}:AllowInsecureNoAccessKey=true).");
        }
        if (keys.Any(key => Encoding.UTF8.GetByteCount(key) > FirehoseHeaders.MaxAccessKeyBytes))
            failures.Add($"{Section}:AccessKey/AccessKeys: a key is longer than {FirehoseHeaders.MaxAccessKeyBytes} bytes, which Firehose cannot send.");
        if (string.IsNullOrWhiteSpace(options.Path) || options.Path[0] != '/')
            failures.Add($"{Section}:Path must start with '/' (was '{options.Path}'); default {IngestOptions.DefaultPath}.");
        if (options.Port is < 0 or > 65535)
            failures.Add($"{Section}:Port must be between 0 and 65535 (was {options.Port}); default {IngestOptions.DefaultPort}.");
        if (options.MaxRequestBodyBytes <= 0)
            failures.Add($"{Section}:MaxRequestBodyBytes must be positive (was {options.MaxRequestBodyBytes}); default {IngestOptions.DefaultMaxRequestBodyBytes}.");
        if (options.MaxInflatedBodyBytes <= 0 || options.MaxInflatedBodyBytes > Array.MaxLength)
            failures.Add($"{Section}:MaxInflatedBodyBytes must be between 1 and {Array.MaxLength} (was {options.MaxInflatedBodyBytes}); default {IngestOptions.DefaultMaxInflatedBodyBytes}.");
        if (options.MaxRequestBodyBytes > Array.MaxLength)
            failures.Add($"{Section}:MaxRequestBodyBytes must be at most {Array.MaxLength} (was {options.MaxRequestBodyBytes}).");
        if (options.MalformedExamplesKept < 0)
            failures.Add($"{Section}:MalformedExamplesKept must be 0 or more (was {options.MalformedExamplesKept}).");
        if (options.MaxConcurrentDecodes < 0)
            failures.Add($"{Section}:MaxConcurrentDecodes must be 0 (half the processors) or more (was {options.MaxConcurrentDecodes}).");
        if (options.CommitTimeout <= TimeSpan.Zero)
            failures.Add($"{Section}:CommitTimeout must be positive (was {options.CommitTimeout}).");
        foreach (var (stream, format) in options.LogFormats)
        {
            try
            {
                _ = FlowLogFormat.Parse(format);
            }
            catch (FlowLogFormatException e)
            {
                failures.Add($"{Section}:LogFormats:{stream} is not a valid flow-log format: {e.Message}");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
