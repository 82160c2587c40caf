using IdVerify.Api.Endpoints;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Imaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.AddCodeToFrameworkProblems);
builder.Services.AddExceptionHandler<ProblemMapping>();
builder.Services.AddOpenApi();
builder.Services.AddFaceEngine();
builder.Services.AddIdVerifyHealth();
builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<IdVerify.Core.Pipeline.PipelineOptions>>().Value.Images);
builder.Services.AddSingleton<ImageRequestReader>();

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
app.MapOpenApi();
app.MapHealth();
app.MapVerification();
app.MapSubjects();
app.MapLiveness();

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
