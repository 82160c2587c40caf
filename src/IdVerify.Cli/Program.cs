using IdVerify.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("idverify");
    config.PropagateExceptions();
    config.AddBranch("models", models =>
    {
        models.SetDescription("Pull, verify and list the ONNX models in models/manifest.json.");
        models.AddCommand<ModelsPullCommand>("pull").WithDescription("Fetch missing model files and verify every sha256.");
        models.AddCommand<ModelsListCommand>("list").WithDescription("List the manifest's models and whether each file is present and intact.");
    });
    config.AddCommand<VerifyCommand>("verify")
        .WithDescription("Compare two photos locally: score, threshold, liveness and decision.")
        .WithExample("verify", "selfie.jpg", "id-photo.jpg");
});

return await CommandLine.RunAsync(app, args);
