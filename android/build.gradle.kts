// The Waymark Android library (AAR): the generated uniffi bindings, the thin Kotlin layer in
// src/main/kotlin, and the Rust library for each ABI, built by cargo-ndk.
//
//   ./gradlew assembleRelease      -> build/outputs/aar/waymark-android-release.aar
//
// Needs the Android SDK + NDK (ANDROID_HOME / ANDROID_NDK_HOME), Rust with the Android targets
// (rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android) and
// cargo-ndk (cargo install cargo-ndk). See the README, "Android".
plugins {
    id("com.android.library") version "8.7.3"
    id("org.jetbrains.kotlin.android") version "2.1.0"
}

val repoRoot = rootDir.parentFile
val generatedKotlin = layout.buildDirectory.dir("generated/uniffi/kotlin")
val jniLibsDir = layout.buildDirectory.dir("generated/jniLibs")

android {
    namespace = "app.waymark"
    compileSdk = 35

    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
    }

    buildTypes {
        release {
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
            jniLibs.srcDir(jniLibsDir)
        }
    }
}

kotlin {
    jvmToolchain(17)
}

dependencies {
    implementation("net.java.dev.jna:jna:5.15.0@aar")
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.9.0")
    implementation("androidx.biometric:biometric:1.1.0")
    implementation("androidx.fragment:fragment-ktx:1.8.5")
    testImplementation("junit:junit:4.13.2")
    testImplementation("org.jetbrains.kotlinx:kotlinx-coroutines-test:1.9.0")
}

// Builds the Rust library for every Android ABI into build/generated/jniLibs.
val cargoNdk by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "-o", jniLibsDir.get().asFile.absolutePath,
        "build", "--release", "-p", "waymark-ffi",
    )
}

// A host debug build of the same crate: it keeps the uniffi metadata that the stripped
// release libraries lose, and its interface is identical.
val hostLibrary by tasks.registering(Exec::class) {
    workingDir = repoRoot
    commandLine("cargo", "build", "-p", "waymark-ffi")
}

// Generates the Kotlin bindings (uniffi library mode) from the host build.
val generateBindings by tasks.registering(Exec::class) {
    dependsOn(cargoNdk, hostLibrary)
    workingDir = repoRoot
    commandLine(
        "cargo", "run", "-p", "waymark-ffi", "--features", "bindgen",
        "--bin", "uniffi-bindgen", "--",
        "generate", "--library",
        repoRoot.resolve("target/debug/libwaymark_ffi.so").absolutePath,
        "--language", "kotlin", "--no-format",
        "--out-dir", generatedKotlin.get().asFile.absolutePath,
    )
}

tasks.named("preBuild") { dependsOn(generateBindings) }
