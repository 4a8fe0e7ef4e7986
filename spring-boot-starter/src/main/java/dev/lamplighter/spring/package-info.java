/**
 * Spring Boot auto-configuration for Lamplighter: a node on the application's DataSource that
 * starts and stops with the context, {@code lamplighter.*} properties, an Actuator health
 * indicator and Micrometer gauges when those are present. See the README's "Spring Boot" section.
 */
package dev.lamplighter.spring;
