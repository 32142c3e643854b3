// The Waymark Android library (AAR): the generated uniffi bindings, the thin Kotlin layer in
// src/main/kotlin, and the Rust library for each ABI, built by cargo-ndk.
//
//   ./gradlew assembleRelease      -> build/outputs/aar/waymark-android-release.aar
//   ./gradlew test                 -> src/test/kotlin on the JVM against the host Rust library
//
// Needs the Android SDK (Android Studio, or ANDROID_HOME / local.properties), Rust with the
// Android targets (rustup target add aarch64-linux-android armv7-linux-androideabi
// x86_64-linux-android) and cargo-ndk (cargo install cargo-ndk). The NDK is the one pinned by
// ndkVersion below (Android Studio's SDK manager installs it). See the README, "Android".
import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    id("com.android.library") version "8.7.3"
    // Only for gradle/minify-check (settings.gradle.kts); same artifact as the library plugin.
    id("com.android.application") version "8.7.3" apply false
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

// android/.. is the Cargo workspace, also when this module is included in an app's build.
val repoRoot: File = projectDir.parentFile
// Where cargo puts host builds: CARGO_TARGET_DIR (relative to the workspace) or target/.
val cargoTargetDir: File = System.getenv("CARGO_TARGET_DIR")?.let { repoRoot.resolve(it) }
    ?: repoRoot.resolve("target")
// The host (desktop) debug build of waymark-ffi, named as this OS names a shared library.
val hostLibraryFile: File = cargoTargetDir.resolve("debug").resolve(
    System.getProperty("os.name").lowercase().let { os ->
        when {
            os.startsWith("windows") -> "waymark_ffi.dll"
            os.startsWith("mac") || os.startsWith("darwin") -> "libwaymark_ffi.dylib"
            else -> "libwaymark_ffi.so"
        }
    },
)
// rustup's cargo when it is there (Android Studio started from the Dock or a desktop launcher
// does not see the shell's PATH); else `cargo` from PATH. cargo finds cargo-ndk in the same bin.
val cargo: String = (System.getenv("CARGO_HOME")?.let { File(it) }
    ?: File(System.getProperty("user.home"), ".cargo"))
    .resolve("bin")
    .resolve(if (System.getProperty("os.name").lowercase().startsWith("windows")) "cargo.exe" else "cargo")
    .takeIf { it.isFile }?.absolutePath
    ?: "cargo"
// The ABIs packaged; `-Pwaymark.abis=arm64-v8a` builds one (faster while developing).
val androidAbis: List<String> = providers.gradleProperty("waymark.abis").orNull
    ?.split(',')?.map { it.trim() }?.filter { it.isNotEmpty() }
    ?: listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val minSdkLevel = 26

val generatedKotlin: File = layout.buildDirectory.dir("generated/uniffi/kotlin").get().asFile
// cargo-ndk writes <dir>/<abi>/libwaymark_ffi.so; one dir per build type.
fun jniLibsDir(buildType: String): File =
    layout.buildDirectory.dir("generated/jniLibs/$buildType").get().asFile

android {
    namespace = "app.waymark"
    compileSdk = 35
    // NDK r27c: used by cargo-ndk (below) and by AGP's strip step, so both agree.
    ndkVersion = "27.2.12479018"

    defaultConfig {
        minSdk = minSdkLevel
        consumerProguardFiles("consumer-rules.pro")
    }

    buildTypes {
        release {
            // The AAR ships unshrunk; apps shrink it with consumer-rules.pro (checked by
            // :minify-check, see settings.gradle.kts).
            isMinifyEnabled = false
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    sourceSets {
        getByName("main") {
            java.srcDir(generatedKotlin)
        }
        getByName("debug") {
            jniLibs.srcDir(jniLibsDir("debug"))
        }
        getByName("release") {
            jniLibs.srcDir(jniLibsDir("release"))
        }
    }
}

// Bytecode for Java 17 from whatever JDK runs Gradle (17 or Android Studio's 21): no toolchain
// download needed.
kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation("net.java.dev.jna:jna:5.15.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("androidx.fragment:fragment-ktx:1.8.5")
    testImplementation("junit:junit:4.13.2")
    testImplementation("org.jetbrains.kotlinx:kotlinx-coroutines-test:1.9.0")
    // The desktop JNA jar (with libjnidispatch for macOS, Linux and Windows) for the JVM unit
    // tests; the @aar above only carries Android's.
    testImplementation("net.java.dev.jna:jna:5.15.0")
}

// The host debug build of waymark-ffi: the bindings are generated from it (it keeps the uniffi
// metadata that stripped release libraries lose; its interface is identical) and the JVM unit
// tests load it.
val hostLibrary by tasks.registering(Exec::class) {
    group = "waymark"
    description = "Builds the host debug library ${hostLibraryFile.name}."
    workingDir = repoRoot
    commandLine(cargo, "build", "-p", "waymark-ffi")
}

// The Kotlin bindings (uniffi library mode), shared by every variant.
val generateBindings by tasks.registering(Exec::class) {
    group = "waymark"
    description = "Generates the uniffi Kotlin bindings into build/generated/uniffi/kotlin."
    dependsOn(hostLibrary)
    workingDir = repoRoot
    commandLine(
        cargo, "run", "-p", "waymark-ffi", "--features", "bindgen",
        "--bin", "uniffi-bindgen", "--",
        "generate", "--library", hostLibraryFile.absolutePath,
        "--language", "kotlin", "--no-format",
        "--out-dir", generatedKotlin.absolutePath,
    )
}

tasks.named("preBuild") { dependsOn(generateBindings) }

// The Android libraries, per variant: debug builds use Cargo's dev profile, release builds
// `--release` (fat LTO, size-optimised, stripped: Cargo.toml). Hooked to the variant's
// merge<Variant>JniLibFolders only, so compiling and `./gradlew test` need no NDK.
// Linked for API 26 (minSdk) with 16 KB ELF segment alignment (.cargo/config.toml, android
// targets; cargo-ndk adds it too for NDK r27 and older).
androidComponents {
    onVariants { variant ->
        // Read here, once the android {} block (ndkVersion) is final.
        val ndkDirectory = sdkComponents.ndkDirectory
        val buildType = variant.buildType ?: variant.name
        val release = buildType != "debug"
        val taskSuffix = variant.name.replaceFirstChar { it.uppercase() }
        val outDir = jniLibsDir(buildType)
        val cargoNdk = tasks.register<Exec>("cargoNdk$taskSuffix") {
            group = "waymark"
            description = "Builds libwaymark_ffi.so for ${androidAbis.joinToString()} " +
                "(${if (release) "release" else "dev"} profile) into $outDir."
            workingDir = repoRoot
            commandLine(
                buildList {
                    add(cargo)
                    add("ndk")
                    androidAbis.forEach { add("-t"); add(it) }
                    addAll(listOf("--platform", minSdkLevel.toString(), "-o", outDir.absolutePath))
                    addAll(listOf("build", "-p", "waymark-ffi"))
                    if (release) add("--release")
                },
            )
            // The NDK AGP resolved for ndkVersion (installing it if need be), read only when
            // this task runs.
            doFirst {
                (this as Exec).environment("ANDROID_NDK_HOME", ndkDirectory.get().asFile.absolutePath)
            }
        }
        tasks.configureEach {
            if (name == "merge${taskSuffix}JniLibFolders") dependsOn(cargoNdk)
        }
    }
}

// `./gradlew test`: the Kotlin tests run against the real host library through desktop JNA.
tasks.withType<Test>().configureEach {
    dependsOn(hostLibrary)
    systemProperty("jna.library.path", hostLibraryFile.parentFile.absolutePath)
}
