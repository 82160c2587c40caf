using IdVerify.Cli.Commands;
using IdVerify.Cli.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

// Redirected output (logs, CI, scripts) has no terminal width; tables should not wrap their values.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) ? columns : 160;
}

var app = new CommandApp(new TypeRegistrar(new ServiceCollection().AddSingleton<CoreHost>()));
app.Configure(config =>
{
    config.SetApplicationName("idverify");
    config.PropagateExceptions();
    // An option no command knows (a typo such as --pair) is an error, not silently ignored.
    config.UseStrictParsing();
    config.AddBranch("models", models =>
    {
        models.SetDescription("Pull, verify and list the ONNX models in models/manifest.json.");
        models.AddCommand<ModelsPullCommand>("pull").WithDescription("Fetch missing model files and verify every sha256.");
        models.AddCommand<ModelsListCommand>("list").WithDescription("List the manifest's models and whether each file is present and intact.");
        models.AddCommand<ModelsUseCommand>("use").WithDescription("Choose the model for a role (detector, embedder, liveness) for the next start of the service.");
    });
    config.AddBranch("templates", templates =>
    {
        templates.SetDescription("Inspect and migrate stored templates (service stopped).");
        templates.AddCommand<TemplatesStatusCommand>("status").WithDescription("Subjects per embedder, and how many templates keep an encrypted crop.");
        templates.AddCommand<TemplatesMigrateCommand>("migrate").WithDescription("Re-embed every stored crop with another embedder.");
    });
    config.AddBranch("keys", keys =>
    {
        keys.SetDescription("API keys of the service (its SQLite file, --db): create, list, revoke; and the data keys that seal templates (rotate-data).");
        keys.AddCommand<KeysCreateCommand>("create").WithDescription("Create a key with scopes; prints it once, alone on the last line.")
            .WithExample("keys", "create", "--name", "kiosk-042", "--scopes", "verify", "--expires", "90d");
        keys.AddCommand<KeysListCommand>("list").WithDescription("Every key's name, scopes, state and dates (never the key).");
        keys.AddCommand<KeysRevokeCommand>("revoke").WithDescription("Revoke a key by name.");
        keys.AddCommand<KeysRotateDataCommand>("rotate-data").WithDescription("Re-seal every template and crop with another data key.");
    });
    config.AddBranch("audit", audit =>
    {
        audit.SetDescription("Check and export the tamper-evident audit log.");
        audit.AddCommand<AuditVerifyCommand>("verify")
            .WithDescription("Walk the hash chain: exit 0 when intact, 1 naming the first broken record (edited, deleted or moved).");
        audit.AddCommand<AuditExportCommand>("export")
            .WithDescription("Write every record as JSON Lines, in the form its hash covers, for a SIEM.")
            .WithExample("audit", "export", "--format", "jsonl", "--db", "data/idverify.db", "--out", "audit.jsonl");
    });
    config.AddCommand<EvalCommand>("eval")
        .WithDescription("Measure accuracy (EER, FNMR at FMR targets, DET plot) with the service's pipeline; --calibrate writes the thresholds.")
        .WithExample("eval", "--pairs", "../shared/faces/pairs.csv", "--extra-impostors", "20000", "--calibrate");
    config.AddCommand<EvalLivenessCommand>("eval-liveness")
        .WithDescription("Measure passive liveness: APCER per attack type and BPCER over a threshold sweep.");
    config.AddCommand<EvalChallengeCommand>("eval-challenge")
        .WithDescription("Measure the head-turn challenge: pass rate on real head-turn footage; live people not turning, replays and moved, rotated or tilted still photos must fail.")
        .WithExample("eval-challenge", "--photos", "60");
    config.AddCommand<BenchCommand>("bench")
        .WithDescription("Measure latency per stage and throughput per concurrency, in process or over HTTP (--url); --compare-opencv runs an OpenCV reference beside it.")
        .WithExample("bench", "--concurrency", "1,2,4", "--compare-opencv");
    config.AddCommand<BenchIdentifyCommand>("bench-identify")
        .WithDescription("Measure 1:N on lfw_devtrain: the enrollment duplicate check per calibrated FMR, and search latency per gallery size (real embeddings plus random unit vectors).")
        .WithExample("bench-identify", "--sizes", "10000,100000,1000000");
    config.AddCommand<VerifyCommand>("verify")
        .WithDescription("Compare two photos locally: score, threshold, liveness and decision.")
        .WithExample("verify", "selfie.jpg", "id-photo.jpg");
});

return await CommandLine.RunAsync(app, args);
