using IdVerify.Api.Endpoints;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Imaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

// The bundle a swap or `idverify models use` activated, below environment variables and the command line.
var activeFile = builder.Configuration["Models:ActiveFile"] is { Length: > 0 } configured ? configured : DiscoverActiveFile(builder.Configuration);
if (activeFile is not null)
{
    var environment = builder.Configuration.Sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
    var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = Path.GetFullPath(activeFile), Optional = true, ReloadOnChange = false };
    source.ResolveFileProvider();
    builder.Configuration.Sources.Insert(environment < 0 ? builder.Configuration.Sources.Count : environment, source);
}

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.AddCodeToFrameworkProblems);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi();
builder.Services.AddFaceEngine();
builder.Services.AddIdVerifyHealth();
builder.Services.AddAdminAccess();
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<IdVerify.Core.Pipeline.PipelineOptions>>().Value.Images);
builder.Services.AddSingleton<ImageRequestReader>();
builder.Services.AddOptions<AdmissionSettings>().BindConfiguration("Inference")
    .Validate(a => a.MaxConcurrentRequests >= 0 && a.MaxQueuedRequests >= 0, "Inference:MaxConcurrentRequests and MaxQueuedRequests must be ≥ 0.")
    .ValidateOnStart();
builder.Services.AddSingleton<InferenceGate>();

// The largest legitimate body is an enrollment of the maximum number of images, base64-encoded, or a
// challenge's burst of frames (kiosk frames are small, so that allowance is capped at 64 MiB).
var limits = builder.Configuration.GetSection("Images").Get<ImageLimits>() ?? new ImageLimits();
var maxImages = builder.Configuration.GetValue("Enrollment:MaxImagesPerRequest", 5);
var maxFrames = builder.Configuration.GetValue("Challenge:MaxFrames", 20);
var maxBody = Math.Max(limits.MaxBytes * maxImages * 4 / 3, Math.Min(limits.MaxBytes * maxFrames * 4 / 3, 64L << 20)) + (1024 * 1024);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = maxBody);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapHealth();
app.MapVerification();
app.MapSubjects();
app.MapLiveness();
app.MapModels();

app.Run();

static string? DiscoverActiveFile(IConfiguration configuration)
{
    try
    {
        return IdVerify.Core.Models.ModelLocations.Discover(configuration["Models:Directory"], configuration["Models:Source"]).ActiveFile;
    }
    catch (IdVerify.Core.IdVerifyException)
    {
        return null;
    }
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
